// The audit log as a manager reads it (/audit): every row in words — money in the shop's currency, discounts as
// percentages, quantities as the till shows them, sales by receipt number, who did it and who approved — and the day
// filter in the store's calendar, refusing a day that is no day with a 400 and a sentence.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let cashier: SignedIn;
let boss: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  cashier = await signIn(t.store, 1, { name: "Chris Cashier" });
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria Manager" });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const post = async (path: string, form: Record<string, string> = {}) => {
  const res = await t.app.request(path, {
    method: "POST",
    headers: { ...cashier.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(form).toString(),
  });
  if (res.status >= 400) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res;
};
const approved = () => ({ manager_pin: boss.pin, approver: String(boss.userId) });
const page = (query = "") => t.app.request(`/audit${query}`, { headers: { ...boss.headers, Accept: "text/html" } });

const fromHtml = (s: string) => s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
const textOf = (html: string) => fromHtml(html.replace(/<br\s*\/?>/g, "\n").replace(/<[^>]+>/g, "")).trim();

type Row = { action: string; when: string; who: string; approvedBy: string; register: string; what: string; details: string };

/** The table as a manager sees it, each row's cells as text, newest first. */
function rowsOf(html: string): Row[] {
  return [...html.matchAll(/<tr data-testid="audit-row"([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => {
    const [when, who, approvedBy, register, what, details] = [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1]!));
    const action = /data-action="([^"]*)"/.exec(m[1]!)?.[1] ?? what!.split(" ")[0]!;
    return { action, when: when!, who: who!, approvedBy: approvedBy!, register: register!, what: what!, details: details! };
  });
}
const only = (rows: Row[], action: string) => {
  const found = rows.filter((r) => r.action === action);
  expect(found.map((r) => r.action)).toEqual([action]);
  return found[0]!;
};

const lastLineId = () =>
  t.store.db
    .query<{ data: string }, []>("SELECT data FROM sale_events WHERE type = 'ItemAdded' ORDER BY at DESC, n DESC")
    .get()!
    .data.match(/"lineId":"([^"]+)"/)![1]!;
const lastPaymentId = () =>
  t.store.db
    .query<{ data: string }, []>("SELECT data FROM sale_events WHERE type = 'PaymentAdded' ORDER BY at DESC, n DESC")
    .get()!
    .data.match(/"paymentId":"([^"]+)"/)![1]!;
const receiptNumber = () => t.store.db.query<{ n: string }, []>("SELECT receipt_number AS n FROM sales WHERE status = 'completed'").get()!.n;

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A register's morning: a sale with every approved change, then a cancelled sale, a no-sale and cash in and out. */
async function aMorning(): Promise<void> {
  await post("/register/scan", { code: codes.wine });
  await post("/register/scan", { code: codes.wine }); // 2 × €12.99
  const wine = lastLineId();
  await post(`/register/lines/${wine}/discount`, { kind: "amount", value: "2.50", reason: "dented box" }); // under the 10 % limit
  await post(`/register/lines/${wine}/qty`, { qty: "1", ...approved() }); // now €2.50 on €12.99: over the limit
  await post(`/register/lines/${wine}/price`, { price: "10.00", reason: "damaged label", ...approved() });
  await post(`/register/lines/${wine}/discount`, { kind: "percent", value: "25", reason: "staff", ...approved() });
  await post("/register/discount", { kind: "amount", value: "1.50", ...approved() });
  await post("/register/pay", { method: "cash", amount: "5" });
  await post(`/register/payments/${lastPaymentId()}/remove`, { reason: "wrong tender", ...approved() });
  await post("/register/pay", { method: "cash", amount: "20" });

  await post("/register/scan", { code: codes.milk });
  await post("/register/cancel", { reason: "customer left", ...approved() });
  await post("/register/no-sale", { reason: "change for the float", ...approved() });
  await post("/shift/cash", { kind: "out", amount: "20", reason: "bank run", ...approved() });
  await post("/shift/cash", { kind: "in", amount: "5", reason: "coins", ...approved() });
}

describe("each row in words", () => {
  test("approved changes at the till read as sentences: money, percentages, quantities, receipt numbers, names", async () => {
    await aMorning();
    const res = await page();
    expect(res.status).toBe(200);
    const rows = rowsOf(await res.text());
    const receipt = receiptNumber();

    const price = only(rows, "sale.price_overridden");
    expect([price.who, price.approvedBy, price.register, price.what]).toEqual(["Chris Cashier", "Maria Manager", "Lane 1", "Price changed"]);
    expect(price.details).toBe(`Rioja Crianza 0.75 L: price set to €10.00 (list price €12.99), on receipt ${receipt}.\nReason: “damaged label”`);

    const discounts = rows.filter((r) => r.action === "sale.discount").map((r) => [r.approvedBy, r.details]);
    expect(discounts).toEqual([
      ["Maria Manager", `€1.50 off the whole sale, on receipt ${receipt}.`],
      ["Maria Manager", `25 % off Rioja Crianza 0.75 L, on receipt ${receipt}.\nReason: “staff”`],
      ["", `€2.50 off Rioja Crianza 0.75 L, on receipt ${receipt}.\nReason: “dented box”`],
    ]);
    const overLimit = only(rows, "sale.discount_over_limit");
    expect([overLimit.approvedBy, overLimit.what]).toEqual(["Maria Manager", "Discount over the limit"]);
    expect(overLimit.details).toBe(`Rioja Crianza 0.75 L: quantity changed from 2 to 1, which took the discount over the limit, on receipt ${receipt}.`);

    expect(only(rows, "sale.payment_removed").details).toBe(`Cash payment of €5.00 taken off receipt ${receipt}.\nReason: “wrong tender”`);
    const cancelled = only(rows, "sale.cancelled");
    expect([cancelled.approvedBy, cancelled.what, cancelled.details]).toEqual([
      "Maria Manager",
      "Sale cancelled",
      "Sale of 1 item (€1.19) cancelled.\nReason: “customer left”",
    ]);
    const noSale = only(rows, "drawer.no_sale");
    expect([noSale.who, noSale.approvedBy, noSale.what, noSale.details]).toEqual([
      "Chris Cashier",
      "Maria Manager",
      "Drawer opened (no sale)",
      "Cash drawer opened without a sale.\nReason: “change for the float”",
    ]);
    // (whether cash in and out open the drawer is the shift's business; the row says so when it did)
    expect(only(rows, "cash.out").details).toMatch(/^€20\.00 taken out of the drawer\.( The drawer was opened\.)?\nReason: “bank run”$/);
    expect(only(rows, "cash.in").details).toMatch(/^€5\.00 put into the drawer\.( The drawer was opened\.)?\nReason: “coins”$/);
  });

  test("nothing on the page is written for developers: no JSON, no basis points, no sale ids, no cents", async () => {
    await aMorning();
    const html = await (await page()).text();
    const rows = rowsOf(html);
    expect(rows.length).toBe(10);
    const shown = rows.map((r) => `${r.what} ${r.details}`).join("\n");
    expect(shown).not.toContain("{");
    expect(shown).not.toContain('"');
    expect(shown).not.toMatch(/\bbp\b/);
    expect(shown).not.toMatch(/[a-z]+\.[a-z_]+/); // no action codes like sale.price_overridden
    expect(textOf(html)).not.toMatch(uuid);
    // the amounts the log holds in cents never show as such: 1000 is €10.00, 150 is €1.50, 2500 bp is 25 %
    const digits = shown.replaceAll(receiptNumber(), "RECEIPT");
    for (const cents of [1000, 1299, 250, 150, 500, 2000, 119, 2500]) expect(digits).not.toMatch(new RegExp(`(^|[^\\d.,])${cents}([^\\d.,]|$)`));
  });

  test("a kind of row the page does not know reads as a labelled list, with money, percentages and the receipt", async () => {
    await post("/register/scan", { code: codes.wine });
    await post("/register/pay", { method: "cash", amount: "20" });
    const saleId = t.store.db.query<{ id: string }, []>("SELECT id FROM sales").get()!.id;
    t.store.audit.record({
      at: t.clock.now().toISOString(),
      userId: boss.userId,
      userName: boss.userName,
      action: "receipt.price_matched",
      subject: saleId,
      detail: { amount: 1299, limit_bp: 1500, weighed: { qtyMilli: 750 }, staff: true, note: null },
    });
    const row = only(rowsOf(await (await page()).text()), "receipt.price_matched");
    expect(row.what).toBe("Receipt price matched");
    expect(row.details.split("\n")).toEqual([
      `Sale: receipt ${receiptNumber()}`,
      "Amount: €12.99",
      "Limit bp: 15 %",
      "Weighed: qty milli 0.750 kg",
      "Staff: yes",
      "Note: —",
    ]);
  });
});

describe("the day filter", () => {
  const failedSignIns = async (query: string) => {
    const res = await page(query);
    expect(res.status).toBe(200);
    return rowsOf(await res.text())
      .filter((r) => r.action === "user.sign_in_failed")
      .map((r) => r.when);
  };

  test("takes days as the date picker sends them and as the pages write them, as the store's calendar days", async () => {
    // Auckland is 13 hours ahead in November: 12:00 UTC on the 25th is 01:00 on the 26th at the shop
    writeSetting(t.store.db, "time_zone", "Pacific/Auckland");
    t.store.reloadSettings();
    t.store.audit.record({
      at: "2026-11-25T12:00:00.000Z",
      userId: null,
      userName: "Chris Cashier",
      action: "user.sign_in_failed",
      subject: null,
      detail: { code: "wrong_pin" },
    });
    t.store.audit.record({
      at: "2026-11-25T10:30:00.000Z",
      userId: null,
      userName: "Chris Cashier",
      action: "user.sign_in_failed",
      subject: null,
      detail: { code: "wrong_pin" },
    });

    expect(await failedSignIns("?from=2026-11-26&to=2026-11-26")).toEqual(["26/11/2026, 01:00"]);
    expect(await failedSignIns("?from=2026-11-25&to=2026-11-25")).toEqual(["25/11/2026, 23:30"]);
    expect(await failedSignIns("?from=26/11/2026&to=26/11/2026")).toEqual(["26/11/2026, 01:00"]);
    expect(await failedSignIns("?to=25%2F11%2F2026")).toEqual(["25/11/2026, 23:30"]);

    // the form shows the day back as the date input takes it, and the period as the pages write dates
    const html = await (await page("?from=26/11/2026")).text();
    expect(html).toMatch(/<input name="from" type="date" value="2026-11-26"/);
    expect(textOf(/<p data-testid="audit-summary">([\s\S]*?)<\/p>/.exec(html)![1]!)).toBe("1 entry since 26/11/2026 (store time).");
    const row = only(rowsOf(html), "user.sign_in_failed");
    expect([row.what, row.details]).toEqual(["Sign-in refused", "Sign-in refused: wrong PIN."]);
  });

  test("a day that is no day, or a period backwards, is refused with 400 and a sentence, on the page and the export", async () => {
    await aMorning();
    for (const [query, says] of [
      ["?from=31/02/2026", "From: “31/02/2026” is not a day."],
      ["?from=2026-13-01", "From: “2026-13-01” is not a day."],
      ["?to=yesterday", "To: “yesterday” is not a day."],
      ["?from=11/25/2026", "From: “11/25/2026” is not a day."],
      ["?from=1899-12-31", "From: “1899-12-31” is not a day."],
      ["?from=2026-11-26&to=2026-11-25", "From is after To"],
    ] as const) {
      const res = await page(query);
      expect([query, res.status]).toEqual([query, 400]);
      const html = await res.text();
      expect(textOf(/<p class="message error" role="alert" data-testid="audit-message">([\s\S]*?)<\/p>/.exec(html)![1]!)).toStartWith(says);
      expect(rowsOf(html)).toEqual([]); // nothing shown as if it were filtered
      const csv = await t.app.request(`/audit/export.csv${query}`, { headers: boss.headers });
      expect([query, csv.status]).toEqual([query, 400]);
    }
    const csv = await t.app.request("/audit/export.csv?from=25/11/2026&to=2026-11-25", { headers: boss.headers });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split("\r\n").length).toBeGreaterThan(10);
  });
});
