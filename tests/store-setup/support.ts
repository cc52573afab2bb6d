// What the store set-up tests share: the store's pages with the Tax classes, Categories and Set-up pages mounted as
// pages.tsx mounts a feature (under the pages' identity, body limits and CSRF check), requests as a browser sends them,
// and what a refused change must leave as it was.
import { Hono } from "hono";
import { categoryRoutes } from "../../src/server/categories/routes.tsx";
import type { Shop } from "../../src/server/compose.ts";
import { pages } from "../../src/server/pages.tsx";
import { errorHandler } from "../../src/server/platform/http/errors.ts";
import { storeSetupRoutes } from "../../src/server/store-setup/routes.tsx";
import { taxClassRoutes } from "../../src/server/tax-classes/routes.tsx";
import type { SignedIn } from "../helpers/store.ts";

export function setUpApp(store: Shop) {
  const people = pages(store);
  people.route("/tax-classes", taxClassRoutes(store));
  people.route("/categories", categoryRoutes(store));
  people.route("/store-setup", storeSetupRoutes(store));
  const app = new Hono();
  app.onError(errorHandler((_c, r) => `<p class="message error" data-code="${r.code}">${r.message}</p>`));
  app.route("/", people);
  return app;
}

export type App = ReturnType<typeof setUpApp>;

export const send = (app: App, who: SignedIn | null, path: string, form?: Record<string, string>) =>
  Promise.resolve(
    app.request(path, {
      method: form ? "POST" : "GET",
      headers: { ...(who?.headers ?? {}), Accept: "text/html", ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    }),
  );

const fromHtml = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/** The text of the element with this test id (a <p>, <td>, <dd> or <li>), tags left out. */
export function byTestId(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(p|td|dd|li|span)>`).exec(html);
  return m ? fromHtml(m[1]!.replace(/<[^>]+>/g, "")).trim() : null;
}

/** Everything a set-up page could write: tax classes, categories and products whole, and the audit log's length. */
export function written(store: Shop) {
  return {
    taxClasses: store.db.query("SELECT * FROM tax_classes ORDER BY code").all(),
    categories: store.db.query("SELECT * FROM categories ORDER BY id").all(),
    products: store.db.query("SELECT id, sku, barcode, name, price, tax_class, category_id, weighed FROM products ORDER BY id").all(),
    settings: store.db.query("SELECT * FROM settings ORDER BY key").all(),
    audit: store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM audit_log").get()!.n,
  };
}

/** The audit rows of actions starting with `prefix`, oldest first, as [action, subject, user, detail]. */
export const auditOf = (store: Shop, prefix: string) =>
  store.audit
    .find({ action: prefix, limit: 100 })
    .reverse()
    .map((r) => [r.action, r.subject, r.user, JSON.parse(r.detail)]);
