// Every state-changing page request needs the CSRF token (X-CSRF-Token header, or the _csrf form field) and, when the
// browser names an Origin, our own: otherwise 403 and nothing changed. With both it goes through.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, errorCode, isDenied, send, state } from "./support.ts";

let t: TestStore;
let admin: SignedIn;
let b: Browser;
let otherSessionToken = "";
const ids = { line: "", payment: "", parked: "", completed: "", printer: 0, victim: 0 };

beforeAll(async () => {
  t = makeTestStore();
  // an admin may do everything, so a refusal here is the CSRF check and nothing else
  admin = await signIn(t.store, 1, { role: "admin" });
  b = browserOf(admin);
  const lane2 = await signIn(t.store, 2);
  otherSessionToken = lane2.csrf;
  t.store.till.scan(lane2.registerId, codes.bread);
  ids.parked = t.store.till.current(lane2.registerId)!.saleId;
  t.store.till.park(lane2.registerId);
  const sold = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 500 }] } });
  ids.completed = ((await sold.json()) as { id: string }).id;
  ids.printer = t.store.printing.printers.byName("Virtual printer")!.id;
  ids.victim = (await t.store.users.add("Victor", "cashier", "864209", t.clock.now().toISOString())).id;
});
afterAll(() => t.close());

type Route = [name: string, path: () => string, form: () => Record<string, string>];

/** The state-changing routes in an order where each, once allowed, leaves the next something to act on. */
const routes: Route[] = [
  ["scan", () => "/register/scan", () => ({ code: codes.wine })],
  ["add", () => "/register/add", () => ({ product_id: "2" })],
  ["quantity", () => `/register/lines/${ids.line}/qty`, () => ({ delta: "1" })],
  ["line discount", () => `/register/lines/${ids.line}/discount`, () => ({ kind: "percent", value: "5" })],
  ["sale discount", () => "/register/discount", () => ({ kind: "none" })],
  ["price override", () => `/register/lines/${ids.line}/price`, () => ({ price: "9.99", reason: "label" })],
  ["pay", () => "/register/pay", () => ({ method: "card", amount: "1.00" })],
  ["remove payment", () => `/register/payments/${ids.payment}/remove`, () => ({})],
  ["remove line", () => `/register/lines/${ids.line}/remove`, () => ({})],
  ["new sale", () => "/register/new", () => ({})],
  ["park", () => "/register/park", () => ({})],
  ["recall", () => `/register/recall/${ids.parked}`, () => ({})],
  ["cancel", () => "/register/cancel", () => ({ reason: "customer left" })],
  ["reprint", () => `/register/receipt/${ids.completed}/reprint`, () => ({})],
  ["no sale", () => "/register/no-sale", () => ({ reason: "change" })],
  ["cash in", () => "/shift/cash", () => ({ kind: "in", amount: "5.00", reason: "top-up" })],
  ["close shift", () => "/shift/close", () => ({ counted: "100.00" })],
  ["open shift", () => "/shift/open", () => ({ float: "100.00" })],
  ["add printer", () => "/devices/printers", () => ({ name: "Back", kind: "virtual" })],
  ["test page", () => `/devices/printers/${ids.printer}/test`, () => ({})],
  ["default printer", () => `/devices/printers/${ids.printer}/default`, () => ({})],
  ["receipt logo", () => "/devices/logo", () => ({})],
  ["send to head office", () => "/devices/head-office/send", () => ({})],
  [
    "head office link",
    () => "/devices/head-office",
    () => ({ hq_url: "http://hq.example:8090", hq_store_id: "0196d6f0-0000-7000-8000-000000000012", hq_token: "sfhq_0123456789abcdef" }),
  ],
  ["add user", () => "/users", () => ({ name: "Nina", role: "cashier", pin: "513372" })],
  ["unlock user", () => `/users/${ids.victim}/unlock`, () => ({})],
  ["disable user", () => `/users/${ids.victim}/disable`, () => ({})],
  ["pair", () => "/pair", () => ({ register: "", manager: String(admin.userId), manager_pin: admin.pin })],
  ["setup", () => "/setup", () => ({ name: "Mallory", pin: "11112222" })],
  ["sign out", () => "/logout", () => ({})],
  ["sign in", () => "/login", () => ({ user_id: String(admin.userId), pin: admin.pin })],
];

/** The line and payment ids of the admin's sale, as the page would show them. */
function refreshIds() {
  const sale = t.store.till.current(admin.registerId);
  ids.line = sale?.lines.at(-1)?.lineId ?? "no-line";
  ids.payment = sale?.payments.at(-1)?.paymentId ?? "no-payment";
}

const forged: [string, (path: string, form: Record<string, string>) => Promise<Response>, string][] = [
  ["no token at all", (path, form) => send(t, "POST", path, { browser: b, form, token: null }), "csrf_failed"],
  ["a wrong token in the header", (path, form) => send(t, "POST", path, { browser: b, form, token: "x".repeat(32) }), "csrf_failed"],
  ["a wrong _csrf field", (path, form) => send(t, "POST", path, { browser: b, form: { ...form, _csrf: "y".repeat(32) }, token: null }), "csrf_failed"],
  // signed in, only the session's own token counts: a cookie and header an attacker chose together (double submit) do not
  [
    "a CSRF cookie and header of the attacker's choosing",
    (path, form) => send(t, "POST", path, { browser: { ...b, csrf: "attacker-chosen-token-0123456789" }, form }),
    "csrf_failed",
  ],
  ["another session's token", (path, form) => send(t, "POST", path, { browser: b, form, token: otherSessionToken }), "csrf_failed"],
  [
    "another site's Origin",
    (path, form) => send(t, "POST", path, { browser: b, form, headers: { Host: "localhost", Origin: "http://evil.example" } }),
    "bad_origin",
  ],
  ["Origin null", (path, form) => send(t, "POST", path, { browser: b, form, headers: { Host: "localhost", Origin: "null" } }), "bad_origin"],
  [
    "our host on another port",
    (path, form) => send(t, "POST", path, { browser: b, form, headers: { Host: "localhost", Origin: "http://localhost:8080" } }),
    "bad_origin",
  ],
  ["Sec-Fetch-Site: cross-site", (path, form) => send(t, "POST", path, { browser: b, form, headers: { "Sec-Fetch-Site": "cross-site" } }), "bad_origin"],
];

describe("a state-changing request", () => {
  for (const [name, path, form] of routes) {
    test(`${name}: refused with 403 and nothing changed without the token or from another origin; allowed with both`, async () => {
      refreshIds();
      const problems: string[] = [];
      for (const [how, request, code] of forged) {
        // by the time of "sign in" the admin has signed out: a browser with no session has only its double-submit cookie
        if (how === "a CSRF cookie and header of the attacker's choosing" && path() === "/login") continue;
        const before = state(t.store);
        const res = await request(path(), form());
        const got = await errorCode(res);
        if (res.status !== 403 || got !== code) problems.push(`${how}: ${res.status} ${got ?? ""} (wanted 403 ${code})`);
        const after = state(t.store);
        if (!Bun.deepEquals(after, before)) problems.push(`${how}: changed ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
      expect(problems).toEqual([]);
      // a page of ours: the token, and the Origin of the Host it was served from
      const res = await send(t, "POST", path(), { browser: b, form: form(), headers: { Host: "localhost", Origin: "http://localhost" } });
      const got = await errorCode(res);
      expect(res.status).toBeLessThan(500);
      if (path() === "/logout") {
        // signing out sends the browser to /login: that it went through shows in the ended session
        expect(res.headers.get("Location")).toBe("/login");
        expect(t.store.sessions.get(b.session, t.clock.now())).toBeNull();
      } else {
        expect({ status: res.status, denied: isDenied(res), code: got }).toMatchObject({ denied: false });
      }
    });
  }

  test("the _csrf form field stands in for the header", async () => {
    const clerk = browserOf(await signIn(t.store, 4));
    const before = state(t.store).sale_events;
    const res = await send(t, "POST", "/register/scan", { browser: clerk, form: { code: codes.milk, _csrf: clerk.csrf! }, token: null });
    expect(res.status).toBe(200);
    expect(state(t.store).sale_events).toBe(before! + 2); // the sale opened, the item added
  });
});

describe("the pages hand the token out", () => {
  test("htmx sends it from the body's hx-headers, and every plain POST form carries _csrf", async () => {
    const boss = await signIn(t.store, 3, { role: "admin" });
    for (const path of ["/", "/users", "/devices", "/login", "/audit", "/shift/close"]) {
      const res = await send(t, "GET", path, { browser: browserOf(boss) });
      expect(res.status).toBe(200);
      const html = await res.text();
      const body = /<body[^>]*hx-headers:inherited="([^"]*)"/.exec(html);
      expect(body).not.toBeNull();
      expect(JSON.parse(body![1]!.replaceAll("&quot;", '"'))).toEqual({ "X-CSRF-Token": browserOf(boss).csrf });
      for (const form of html.matchAll(/<form[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g)) {
        expect(form[1]).toContain(`name="_csrf" value="${browserOf(boss).csrf}"`);
      }
    }
  });
});
