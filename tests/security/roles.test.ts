// Who may use which page: the least role of every route and whether it must come from a paired register, written
// down here as the rule, then checked for every role — on a register and on a browser that is none — and for nobody.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { everyRoute } from "../../src/server/lazy-routes.ts";
import { codes, makeTestStore, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, isDenied, send, sentTo } from "./support.ts";

const ranks = ["cashier", "supervisor", "manager", "admin"] as const;
type Role = (typeof ranks)[number];

/** [method, path, least role (null: anyone), needs a paired register, form]. Restricted register actions go without a manager's PIN. */
type Rule = [method: "GET" | "POST", path: string, least: Role | null, device: boolean, form?: Record<string, string>];

const LINE = "no-such-line";
const SALE = "no-such-sale";
const COUNT = "00000000-0000-4000-8000-000000000000";

const table: Rule[] = [
  // the register: any signed-in user on a paired register
  ["GET", "/", "cashier", true],
  ["GET", "/register/sale", "cashier", true],
  ["POST", "/register/scan", "cashier", true, { code: codes.milk }],
  ["POST", "/register/add", "cashier", true, { product_id: "2" }],
  ["POST", `/register/lines/${LINE}/qty`, "cashier", true, { qty: "2" }],
  ["POST", `/register/lines/${LINE}/remove`, "cashier", true],
  ["POST", `/register/lines/${LINE}/discount`, "cashier", true, { kind: "percent", value: "5" }],
  ["POST", "/register/discount", "cashier", true, { kind: "none" }],
  ["POST", "/register/pay", "cashier", true, { method: "cash", amount: "0.50" }],
  ["POST", "/register/payments/no-such-payment/remove", "cashier", true],
  ["POST", "/register/park", "cashier", true],
  ["POST", `/register/recall/${SALE}`, "cashier", true],
  ["POST", "/register/new", "cashier", true],
  ["POST", `/register/receipt/${SALE}/reprint`, "cashier", true],
  ["POST", `/register/receipt/${SALE}/copy`, "cashier", true],
  ["GET", "/register/search?q=milk", "cashier", true],
  ["GET", "/register/quick-keys", "cashier", true],
  ["GET", "/register/dialog/cash", "cashier", true],
  ["GET", "/register/dialog/card", "cashier", true],
  ["GET", `/register/dialog/line/${LINE}`, "cashier", true],
  ["GET", "/register/dialog/discount", "cashier", true],
  ["GET", "/register/dialog/recall", "cashier", true],
  ["GET", "/register/dialog/cancel", "cashier", true],
  ["GET", "/register/dialog/weigh/5", "cashier", true],
  ["GET", "/register/dialog/no-sale", "cashier", true],
  ["GET", "/register/dialog/payment/no-such-payment", "cashier", true],
  ["GET", `/register/print-state/${SALE}`, "cashier", true],
  ["GET", "/register/printer-status", "cashier", true],
  ["GET", "/register/scale", "cashier", true],
  // restricted register actions: a manager's own, or a manager's PIN (none is sent here)
  ["POST", `/register/lines/${LINE}/price`, "manager", true, { price: "1.00", reason: "label" }],
  ["POST", "/register/cancel", "manager", true, { reason: "customer left" }],
  ["POST", "/register/no-sale", "manager", true, { reason: "change" }],
  // the shift of the register
  ["GET", "/shift/open", "cashier", true],
  ["POST", "/shift/open", "cashier", true, { float: "100.00" }],
  ["GET", "/shift", "cashier", true],
  ["POST", "/shift/cash", "manager", true, { kind: "in", amount: "5.00", reason: "top-up" }],
  ["POST", "/shift/cash", "manager", true, { kind: "out", amount: "5.00", reason: "to the safe" }],
  ["GET", "/shift/x", "cashier", true],
  ["POST", "/shift/x/print", "cashier", true],
  ["GET", "/shift/close", "cashier", true],
  ["POST", "/shift/close", "supervisor", true, { counted: "100.00" }],
  // returns at the register
  ["GET", "/returns/dialog", "cashier", true],
  ["GET", "/returns/sale?code=001-000001", "cashier", true],
  ["POST", "/returns", "cashier", true, { sale_id: SALE, reason: "changed_mind", refund: "original" }],
  ["GET", `/returns/${SALE}/print-state`, "cashier", true],
  ["GET", "/returns/no-receipt", "cashier", true],
  ["POST", "/returns/no-receipt/item", "cashier", true, { code: "NONE" }],
  ["POST", "/returns/no-receipt", "cashier", true, { reason: "changed_mind", refund: "store_credit" }],
  ["GET", "/register/dialog/store-credit", "cashier", true],
  // tax classes, categories and the store's first-run checklist: managers
  ["GET", "/tax-classes", "manager", false],
  ["POST", "/tax-classes", "manager", false, { code: "" }],
  ["POST", "/tax-classes/NONE", "manager", false, { name: "" }],
  ["POST", "/tax-classes/NONE/remove", "manager", false],
  ["GET", "/categories", "manager", false],
  ["POST", "/categories", "manager", false, { name: "" }],
  ["POST", "/categories/999/rename", "manager", false, { name: "" }],
  ["POST", "/categories/999/remove", "manager", false],
  ["GET", "/store-setup", "manager", false],
  // reports: managers
  ["GET", "/reports", "manager", false],
  ["GET", "/reports/product?period=today", "manager", false],
  ["GET", "/reports/loss-prevention", "manager", false],
  ["GET", "/reports/loss-prevention/voids", "manager", false],
  ["GET", "/reports/stock-movement", "manager", false],
  ["GET", "/reports/stock-movement/dead.csv", "manager", false],
  ["GET", "/reports/stock-movement/slow.csv", "manager", false],
  ["GET", "/reports/shifts", "manager", false],
  ["GET", "/reports/shifts/999", "manager", false],
  ["POST", "/reports/shifts/999/reprint", "manager", false],
  ["GET", "/reports/bought-together", "manager", false],
  ["GET", "/reports/bought-together/export.csv", "manager", false],
  ["POST", "/store-setup/currency", "manager", false, { currency: "" }],
  ["GET", "/store-setup/product", "manager", false],
  ["POST", "/store-setup/product", "manager", false, { sku: "" }],
  // products: managers, from any browser
  ["GET", "/products", "manager", false],
  ["GET", "/products/new", "manager", false],
  ["GET", "/products/export.csv", "manager", false],
  ["POST", "/products", "manager", false, { name: "" }],
  ["GET", "/products/1", "manager", false],
  ["POST", "/products/1", "manager", false, { version: "1", location: "" }],
  // stock adjustments: supervisors and up, from any browser
  ["GET", "/stock/adjust", "supervisor", false],
  ["GET", "/stock/deliveries", "supervisor", false],
  ["GET", "/stock/low", "supervisor", false],
  ["GET", "/stock/low.csv", "supervisor", false],
  ["GET", "/stock/labels", "supervisor", false],
  ["GET", "/stock/labels/pdf?ids=1", "supervisor", false],
  ["POST", "/stock/labels", "supervisor", false, { step: "search", code: "milk" }],
  ["POST", "/stock/deliveries", "supervisor", false, { supplier: "", items: "", step: "check" }],
  ["POST", "/stock/adjust", "supervisor", false, { code: "NONE", qty: "1", reason: "found" }],
  // the live channel (server-sent events): anyone signed in, told what their role and register may see
  ["GET", "/events", "cashier", false],
  // stock counts: supervisors and up, from any browser (a count that is not there: refused as not found, not denied)
  ["GET", "/stock/counts", "supervisor", false],
  ["POST", "/stock/counts", "supervisor", false, { scope: "category", category: "999" }],
  ["GET", `/stock/counts/${COUNT}`, "supervisor", false],
  ["POST", `/stock/counts/${COUNT}/scan`, "supervisor", false, { items: "NONE" }],
  ["POST", `/stock/counts/${COUNT}/lines/1`, "supervisor", false, { qty: "1" }],
  ["POST", `/stock/counts/${COUNT}/import`, "supervisor", false, { items: "sku,qty\nNONE,1" }],
  ["GET", `/stock/counts/${COUNT}/report`, "supervisor", false],
  ["POST", `/stock/counts/${COUNT}/approve`, "supervisor", false, { uncounted: "leave" }],
  ["POST", `/stock/counts/${COUNT}/cancel`, "supervisor", false],
  // the sales history: anyone signed in, on a register or not
  ["GET", "/sales", "cashier", false],
  ["GET", `/sales/${SALE}`, "cashier", false],
  ["POST", `/sales/${SALE}/reprint`, "cashier", false],
  ["GET", `/sales/returns/${SALE}`, "cashier", false],
  ["POST", `/sales/returns/${SALE}/reprint`, "cashier", false],
  // the back office: managers, from any browser
  ["GET", "/devices", "manager", false],
  ["POST", "/devices/printers", "manager", false, { name: "", kind: "virtual" }],
  ["POST", "/devices/printers/1/test", "manager", false],
  ["POST", "/devices/printers/1/default", "manager", false],
  ["GET", "/devices/printers/1/prints", "manager", false],
  ["POST", "/devices/logo", "manager", false],
  ["POST", "/devices/scales", "manager", false, { register: "1", path: "" }],
  ["POST", "/devices/scales/1/clear", "manager", false],
  ["GET", "/devices/scales/1/reading", "manager", false],
  ["GET", "/devices/head-office", "manager", false],
  ["POST", "/devices/head-office", "manager", false, { hq_url: "" }],
  ["POST", "/devices/head-office/send", "manager", false],
  ["POST", "/devices/head-office/new-epoch", "manager", false],
  ["GET", "/devices/backups", "manager", false],
  ["POST", "/devices/backups", "manager", false],
  ["GET", "/audit", "manager", false],
  ["GET", "/audit/export.csv", "manager", false],
  ["GET", "/quick-keys", "manager", false],
  ["POST", "/quick-keys/pages", "manager", false, { name: "" }],
  ["POST", "/quick-keys/pages/1/rename", "manager", false, { name: "" }],
  ["POST", "/quick-keys/pages/1/delete", "manager", false],
  ["POST", "/quick-keys/pages/1/move", "manager", false, { to: "up" }],
  ["POST", "/quick-keys/pages/1/keys", "manager", false, { product_id: "2" }],
  ["POST", "/quick-keys/pages/1/keys/2/remove", "manager", false],
  ["POST", "/quick-keys/pages/1/keys/2/move", "manager", false, { to: "up" }],
  ["GET", "/users", "manager", false],
  ["POST", "/users", "admin", false, { name: "", role: "cashier", pin: "1" }],
  ["POST", "/users/VICTIM/disable", "admin", false],
  ["POST", "/users/VICTIM/unlock", "manager", false],
  ["GET", "/settings", "manager", false],
  ["POST", "/settings", "manager", false, { store_name: "ShopFlow Store" }],
  // open to anyone
  ["GET", "/login", null, false],
  ["GET", "/pair", null, false],
];

/** Who asks: a role on a paired register, the same role on a browser that is no register, or nobody (on a register). */
type Asker = { name: string; role: Role | null; paired: boolean; browser: Browser };

function expected(rule: Rule, asker: Asker): "allow" | "deny" {
  const [, , least, device] = rule;
  if (least === null) return "allow";
  if (asker.role === null) return "deny";
  if (ranks.indexOf(asker.role) < ranks.indexOf(least)) return "deny";
  if (device && !asker.paired) return "deny";
  return "allow";
}

let t: TestStore;
let registerId = 0;
let victim = 0;
const askers: Asker[] = [];

beforeAll(async () => {
  t = makeTestStore();
  for (const role of ranks) {
    const who = await signIn(t.store, 1, { role });
    registerId = who.registerId;
    askers.push({ name: `${role} on a register`, role, paired: true, browser: browserOf(who) });
    const away = t.store.sessions.start(who.userId, null, t.clock.now().toISOString());
    askers.push({ name: `${role} on no register`, role, paired: false, browser: { session: away.cookie, csrf: away.csrf } });
  }
  askers.push({ name: "nobody on a register", role: null, paired: true, browser: { device: askers[0]!.browser.device, csrf: "nobody-token-0123456789" } });
  victim = (await t.store.users.add("Victor", "cashier", "864209", t.clock.now().toISOString())).id;
});
afterAll(() => t.close());

/** Each request finds the register as a shop has it: a shift open. */
function openShift() {
  if (!t.store.shifts.current(registerId)) t.store.shifts.open(registerId, victim, 10000, null, t.clock.now().toISOString());
}

describe("every page route, for every role", () => {
  for (const rule of table) {
    const [method, path, least, device, form] = rule;
    test(`${method} ${path}: ${least ?? "anyone"}${device ? " on a paired register" : ""}`, async () => {
      const wrong: string[] = [];
      for (const asker of askers) {
        openShift();
        const res = await send(t, method, path.replace("VICTIM", String(victim)), { browser: asker.browser, form });
        const got = isDenied(res) ? "deny" : "allow";
        const want = expected(rule, asker);
        if (res.status >= 500) wrong.push(`${asker.name}: ${res.status}`);
        else if (got !== want) wrong.push(`${asker.name}: ${want} expected, got ${res.status}${sentTo(res) ? ` to ${sentTo(res)}` : ""}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  test("the table names every route the app has for pages", async () => {
    const covered = new Set(table.map(([m, p]) => `${m} ${p.split("?")[0]}`));
    const routes = (await everyRoute(t.app))
      .filter(
        (r) =>
          (r.method === "GET" || r.method === "POST") &&
          !r.path.startsWith("/api") &&
          !r.path.startsWith("/static") &&
          r.path !== "/healthz" &&
          !r.path.endsWith("*"),
      )
      .map((r) => `${r.method} ${r.path}`);
    // tested on their own, or a static file
    // /metrics is for a scraper with an admin API token (src/server/metrics/metrics.test.ts), no page
    const outside = ["GET /setup", "POST /setup", "POST /pair", "POST /login", "POST /logout", "GET /manifest.webmanifest", "GET /favicon.ico", "GET /metrics"];
    const missing = [...new Set(routes)].filter((r) => !outside.includes(r) && ![...covered].some((c) => matches(r, c)));
    expect(missing).toEqual([]);
  });
});

/** A route pattern like "POST /users/:id/disable" against a concrete row like "POST /users/VICTIM/disable". */
function matches(pattern: string, concrete: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[a-zA-Z]+/g, "[^/]+")}$`);
  return re.test(concrete);
}
