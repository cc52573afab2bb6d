// The back office's pages (sales history, devices, audit log, users, settings, …): one bar to move between them.
import type { Child } from "hono/jsx";
import { LiveConnection, LiveToasts, LowStockBadge, useLive } from "../live/live.tsx";
import { usePage } from "./context.ts";
import { Layout } from "./layout.tsx";

export function OfficePage({ title, children }: { title: string; children: Child }) {
  // only the pages this person may open (server/people/menu.ts): a cashier's bar has no manager pages
  const { menu } = usePage();
  // who may open the low-stock list is told of low stock as it happens: the badge, the toasts, the live channel
  const lowStock = menu.some((m) => m.href === "/stock/low");
  const live = lowStock ? useLive() : null;
  return (
    <Layout title={`${title} · ShopFlow`} bodyClass="backoffice">
      <div x-data="till" class="office">
        <header class="topbar">
          <strong class="store">ShopFlow</strong>
          <nav aria-label="Back office">
            {menu.map((m) => (
              <a href={m.href}>{m.label}</a>
            ))}
          </nav>
          {lowStock && <LowStockBadge count={live ? live.lowStockCount() : null} />}
        </header>
        <main class="office-main">{children}</main>
        {lowStock && <LiveToasts />}
        {lowStock && <LiveConnection />}
      </div>
    </Layout>
  );
}
