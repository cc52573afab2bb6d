// The register's HTTP surface in-process: what each action answers and what it leaves in the database.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let lane: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  lane = await signIn(t.store, 3);
});
afterEach(() => t.close());

const post = (path: string, form: Record<string, string> = {}) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...lane.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(form).toString(),
  });
const get = (path: string) => t.app.request(path, { headers: { ...lane.headers, "HX-Request": "true" } });
const rowsIn = (html: string) => (html.match(/data-testid="item-row"/g) ?? []).length;

describe("the register page", () => {
  test("opens with a strict CSP, the lane in a cookie, htmx and Alpine from the server itself", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('data-testid="register-name">Lane 3<');
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    for (const asset of ["/static/htmx.js", "/static/alpine.js", "/static/register.js", "/static/register.css", "/manifest.webmanifest", "/static/icon.svg"]) {
      const a = await t.app.request(asset);
      expect(a.status).toBe(200);
      expect((await a.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(await (await t.app.request("/static/htmx.js")).text()).toContain("htmx");
  });
});

describe("selling at the register", () => {
  test("a scan is on disk before the row comes back; the same item again adds to its line", async () => {
    const first = await post("/register/scan", { code: codes.milk });
    expect(first.status).toBe(200);
    expect(rowsIn(await first.text())).toBe(1);
    expect(t.store.till.current(t.store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Lane 3'").get()!.id)!.lines).toHaveLength(1);
    const again = await (await post("/register/scan", { code: codes.milk })).text();
    expect(rowsIn(again)).toBe(1);
    expect(again).toContain('data-testid="item-qty">2<');
    expect(again).toContain('data-testid="total-due">€2.38<');
  });

  test("an unknown code answers 422 into the message line, with a beep, and adds nothing", async () => {
    const res = await post("/register/scan", { code: "4006381333931" });
    expect(res.status).toBe(422);
    expect(res.headers.get("HX-Retarget")).toBe("#message");
    expect(res.headers.get("HX-Trigger")).toContain("till-error");
    expect(await res.text()).toContain("No product has the barcode 4006381333931");
    expect(footprint(t.store).sales).toBe(0);
  });

  test("a page reload finds the open sale as it was", async () => {
    await post("/register/scan", { code: codes.wine });
    await post("/register/scan", { code: codes.bread });
    const page = await (await get("/")).text();
    expect(rowsIn(page)).toBe(2);
    expect(page).toContain("Rioja Crianza");
  });

  test("cash completes the sale once nothing is due: receipt with change, sale gone from the register", async () => {
    await post("/register/scan", { code: codes.wine });
    const cash = await (await get("/register/dialog/cash")).text();
    expect(cash).toContain('data-testid="cash-received"');
    expect(cash).toContain('value="12.99"');
    const res = await post("/register/pay", { method: "cash", amount: "20" });
    const html = await res.text();
    expect(html).toContain('data-testid="receipt-modal"');
    expect(html).toContain('data-testid="change-due">€7.01<');
    expect(rowsIn(html)).toBe(0);
    expect(t.store.reports.summary({ kind: "date", from: null, to: null })).toMatchObject({ sales_count: 1, total_minor: 1299, by_method: { cash: 1299 } });
  });

  test("split tender: card for part, cash for the rest; card keeps only last four and auth code", async () => {
    await post("/register/scan", { code: codes.wine });
    const part = await (await post("/register/pay", { method: "card", amount: "10.00", last4: "4242", auth_code: "A1" })).text();
    expect(part).toContain('data-testid="total-due">€2.99<');
    expect((await post("/register/pay", { method: "card", amount: "5.00" })).status).toBe(422); // more than due
    await post("/register/pay", { method: "cash", amount: "5" });
    const payments = t.store.db.query("SELECT method, amount, card_last4, auth_code, card_brand FROM sale_payments ORDER BY n").all();
    expect(payments).toEqual([
      { method: "card", amount: 1000, card_last4: "4242", auth_code: "A1", card_brand: null },
      { method: "cash", amount: 500, card_last4: null, auth_code: null, card_brand: null },
    ]);
  });

  test("park here, recall on another lane, finish there", async () => {
    await post("/register/scan", { code: codes.bread });
    await post("/register/park");
    expect(rowsIn(await (await get("/register/sale")).text())).toBe(0);
    const lane4 = await signIn(t.store, 4);
    const list = await (await t.app.request("/register/dialog/recall", { headers: lane4.headers })).text();
    const id = /hx-post="\/register\/recall\/([^"]+)"/.exec(list)![1]!;
    const recalled = await t.app.request(`/register/recall/${id}`, { method: "POST", headers: lane4.headers });
    expect(rowsIn(await recalled.text())).toBe(1);
    const paid = await t.app.request("/register/pay", {
      method: "POST",
      headers: { ...lane4.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: "method=cash&amount=3.49",
    });
    expect(await paid.text()).toContain('data-testid="receipt-modal"');
    const sale = t.store.db
      .query<{ name: string; receipt_number: string }, []>(
        "SELECT r.name, s.receipt_number FROM sales s JOIN registers r ON r.id = s.register_id WHERE s.status = 'completed'",
      )
      .get()!;
    expect(sale.name).toBe("Lane 4");
  });

  test("quantity, price override with a reason, discounts, remove", async () => {
    await post("/register/scan", { code: codes.wine });
    const lineId = t.store.db
      .query<{ data: string }, []>("SELECT data FROM sale_events WHERE type = 'ItemAdded'")
      .get()!
      .data.match(/"lineId":"([^"]+)"/)![1]!;
    expect(await (await post(`/register/lines/${lineId}/qty`, { delta: "1" })).text()).toContain('data-testid="item-qty">2<');
    const boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
    expect((await post(`/register/lines/${lineId}/price`, { price: "10.00", reason: "", manager_pin: boss.pin, approver: String(boss.userId) })).status).toBe(
      422,
    );
    // a cashier alone may not change a price; a manager's PIN on the same screen approves it
    const refused = await post(`/register/lines/${lineId}/price`, { price: "10.00", reason: "damaged label" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("needs a manager");
    expect(
      (await post(`/register/lines/${lineId}/price`, { price: "10.00", reason: "damaged label", manager_pin: "999999", approver: String(boss.userId) })).status,
    ).toBe(403);
    expect(
      await (
        await post(`/register/lines/${lineId}/price`, { price: "10.00", reason: "damaged label", manager_pin: boss.pin, approver: String(boss.userId) })
      ).text(),
    ).toContain("€20.00");
    expect(t.store.audit.find({ action: "sale.price_overridden" }).map((e) => [e.user, e.approvedBy])).toEqual([[lane.userName, "Maria"]]);
    expect(await (await post(`/register/lines/${lineId}/discount`, { kind: "percent", value: "10", reason: "staff" })).text()).toContain(
      'data-testid="total-due">€18.00<',
    );
    expect((await post(`/register/lines/${lineId}/discount`, { kind: "percent", value: "50" })).status).toBe(403); // over the 10 % limit
    expect(await (await post("/register/discount", { kind: "amount", value: "3", manager_pin: boss.pin, approver: String(boss.userId) })).text()).toContain(
      'data-testid="total-due">€15.00<',
    );
    expect(rowsIn(await (await post(`/register/lines/${lineId}/remove`)).text())).toBe(0);
  });

  test("cancel empties the register and keeps the sale as cancelled", async () => {
    await post("/register/scan", { code: codes.milk });
    expect((await post("/register/cancel", { reason: "customer left" })).status).toBe(403);
    const boss = await signIn(t.store, 9, { role: "manager", shift: false });
    await post("/register/cancel", { reason: "customer left", manager_pin: boss.pin, approver: String(boss.userId) });
    expect(t.store.db.query("SELECT status FROM sales").all()).toEqual([{ status: "cancelled" }]);
    expect(rowsIn(await (await get("/register/sale")).text())).toBe(0);
  });

  test("search and quick keys offer products; a weighed one asks for its weight", async () => {
    const found = await (await get("/register/search?q=apple")).text();
    expect(found).toContain("Apples Braeburn");
    expect(found).toContain("/register/dialog/weigh/");
    const added = await post("/register/add", { product_id: String(t.store.catalog.bySku("APPLES-KG")!.id), qty: "0.750" });
    expect(await added.text()).toContain("0.750 kg");
    const keys = await (await get("/register/quick-keys")).text();
    expect(keys).toContain('data-testid="quick-key"');
  });

  test("nonsense form input is a 4xx with a message, never a 5xx", async () => {
    for (const [path, form] of [
      ["/register/scan", {}],
      ["/register/scan", { code: "x".repeat(500) }],
      ["/register/pay", { method: "bitcoin", amount: "1" }],
      ["/register/pay", { method: "cash", amount: "-5" }],
      ["/register/pay", { method: "cash", amount: "1e9" }],
      ["/register/add", { product_id: "abc" }],
      ["/register/lines/nope/qty", { delta: "7" }],
      ["/register/recall/nope", {}],
      ["/register/discount", { kind: "percent", value: "150" }],
    ] as const) {
      const res = await post(path, form);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
