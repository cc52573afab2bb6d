// The back office's pages (sales history, devices, audit log, users, settings, …): one bar to move between them.
import type { Child } from "hono/jsx";
import { usePage } from "./context.ts";
import { Layout } from "./layout.tsx";

export function OfficePage({ title, children }: { title: string; children: Child }) {
  // only the pages this person may open (server/people/menu.ts): a cashier's bar has no manager pages
  const { menu } = usePage();
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
        </header>
        <main class="office-main">{children}</main>
      </div>
    </Layout>
  );
}
