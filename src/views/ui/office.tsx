// The back office's pages (devices, audit log, users): one bar to move between them.
import type { Child } from "hono/jsx";
import { Layout } from "./layout.tsx";

export function OfficePage({ title, children }: { title: string; children: Child }) {
  return (
    <Layout title={`${title} · ShopFlow`} bodyClass="backoffice">
      <div x-data="till" class="office">
        <header class="topbar">
          <strong class="store">ShopFlow</strong>
          <nav aria-label="Back office">
            <a href="/">Register</a>
            <a href="/devices">Devices</a>
            <a href="/audit">Audit log</a>
            <a href="/users">Users</a>
          </nav>
        </header>
        <main class="office-main">{children}</main>
      </div>
    </Layout>
  );
}
