// Store credit, exchanges and returns without a receipt at the register, in-process on a real store database: the
// credit's code on the return's receipt and as a tender, an exchange in the same transaction as the return, a manager
// for goods without a receipt, and the shop's policy (days, products not taken back, the most refunded without one).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let cashier: SignedIn;
let manager: SignedIn;

beforeAll(async () => {
  t = makeTestStore();
  cashier = await signIn(t.store, 1);
  manager = await signIn(t.store, 2, { role: "manager" });
});
afterAll(() => t.close());

const form = (who: SignedIn, path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(fields).toString(),
  });
const get = (who: SignedIn, path: string) => t.app.request(path, { headers: { ...who.headers, "HX-Request": "true" } });
/** What a page says, as a person reads it (entities decoded). */
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&amp;", "&");

let lanes = 10;
/** A register of its own for each test: nothing left open by another. */
const lane = () => signIn(t.store, ++lanes);

/** A sale of this store, paid in cash: its id and receipt number. */
function sold(lines: { barcode: string; qty?: number }[], pay: number) {
  const s = t.store.checkout.sell(t.registerId, lines, [{ method: "cash", amount: pay }]).sale;
  return { id: s.id, receipt: s.receipt_number! };
}

const codeIn = (html: string) => /SC \d{4} \d{4} \d{4}/.exec(html)?.[0].replaceAll(" ", "") ?? null;
const balance = (code: string) => t.store.credits.find(code)?.balance ?? null;
const approvalBy = (m: SignedIn) => ({ approver: String(m.userId), manager_pin: m.pin });

describe("store credit", () => {
  test("a refund as store credit prints its code; the credit pays part of a later sale, and what is left stays on it", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.wine }], 1299);
    const res = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "store_credit" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("STORE CREDIT");
    const code = codeIn(html)!;
    expect(code).toMatch(/^SC\d{12}$/);
    expect(balance(code)).toBe(1299);
    // the return's receipt on paper carries it too (its print job)
    const job = t.store.db.query<{ payload: string }, []>("SELECT payload FROM print_jobs WHERE return_id IS NOT NULL ORDER BY id DESC LIMIT 1").get()!;
    expect(job.payload).toContain(code);

    // the slip scanned before any item: told to scan the items first; after one, its dialog opens with the code
    const early = await form(cashier, "/register/scan", { code });
    expect(await said(early)).toContain("scan the items first, then the slip pays");
    // a sale of 3.49 paid with it: as much as due, 9.50 left
    await form(cashier, "/register/scan", { code: codes.bread });
    const slip = await said(await form(cashier, "/register/scan", { code }));
    expect(slip).toContain('data-testid="store-credit-dialog"');
    expect(slip).toContain(`value="${code}"`);
    const paid = await form(cashier, "/register/pay", {
      method: "voucher",
      voucher: `sc ${code.slice(2, 6)} ${code.slice(6, 10)}-${code.slice(10)}`,
      amount: "",
    });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain("complete");
    expect(balance(code)).toBe(1299 - 349);
  });

  test("a credit is spent once: two registers spending the last of it, one gets it, the other is told", async () => {
    const cashier = await lane();
    const other = await lane();
    const sale = sold([{ barcode: codes.bread }], 349);
    const code = codeIn(await (await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "store_credit" })).text())!;
    await form(cashier, "/register/scan", { code: codes.wine });
    await form(other, "/register/scan", { code: codes.wine });
    const [a, b] = await Promise.all([
      form(cashier, "/register/pay", { method: "voucher", voucher: code, amount: "3.49" }),
      form(other, "/register/pay", { method: "voucher", voucher: code, amount: "3.49" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(balance(code)).toBe(0);
    expect(await (a.status === 409 ? a : b).text()).toContain("has been spent in full");
    // taking the payment off (a manager) puts it back on the credit
    const who = a.status === 200 ? cashier : other;
    const sale2 = t.store.till.current(who.registerId)!;
    const payment = sale2.payments.find((p) => p.voucher === code)!;
    const removed = await form(who, `/register/payments/${payment.paymentId}/remove`, { reason: "customer keeps the credit", ...approvalBy(manager) });
    expect(removed.status).toBe(200);
    expect(balance(code)).toBe(349);
  });

  test("an unknown or mistyped code is refused with a sentence and writes nothing", async () => {
    const cashier = await lane();
    await form(cashier, "/register/scan", { code: codes.milk });
    const before = footprint(t.store);
    for (const [voucher, status, says] of [
      ["SC000000000000", 404, "No store credit has the code SC 0000 0000 0000"],
      ["gift card", 422, "A store credit's code is SC and twelve digits"],
      ["", 422, "Scan the code on the store credit slip"],
    ] as const) {
      const res = await form(cashier, "/register/pay", { method: "voucher", voucher, amount: "" });
      expect({ voucher, status: res.status }).toEqual({ voucher, status });
      expect(await said(res)).toContain(says);
    }
    expect(footprint(t.store)).toEqual(before);
  });
});

describe("an exchange", () => {
  test("the return's credit goes toward the sale on the register in the same transaction; the customer pays the difference", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.bread }], 349);
    await form(cashier, "/register/scan", { code: codes.wine });
    const res = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "wrong_size", refund: "exchange" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("3.49 of the return went toward the sale");
    // all of the credit went toward the sale: no slip of store credit to keep, nothing given back
    expect(html).toContain("Exchange, toward sale");
    expect(html).not.toContain("STORE CREDIT");
    expect(html).toMatch(/Give back <strong data-testid="refund-due">nothing/);
    const open = t.store.till.current(cashier.registerId)!;
    expect(t.store.sales.totals(open).due).toBe(1299 - 349);
    const row = t.store.db.query<{ exchange_sale_id: string }, [string]>("SELECT exchange_sale_id FROM returns WHERE sale_id = ?").get(sale.id)!;
    expect(row.exchange_sale_id).toBe(open.saleId);
    const done = await form(cashier, "/register/pay", { method: "cash", amount: "10.00" });
    expect(await done.text()).toContain("complete");
  });

  test("worth more than the new goods: the sale is paid by it, the rest goes back to how it was paid", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.wine }], 1300);
    await form(cashier, "/register/scan", { code: codes.bread });
    const res = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "wrong_size", refund: "exchange" });
    const html = await res.text();
    expect(html).toContain("the sale is paid");
    expect(t.store.till.current(cashier.registerId)).toBeNull();
    const refunds = t.store.db
      .query<{ method: string; amount: number }, [string]>(
        "SELECT f.method, f.amount FROM return_refunds f JOIN returns r ON r.id = f.return_id WHERE r.sale_id = ? ORDER BY n",
      )
      .all(sale.id);
    expect(refunds).toEqual([
      { method: "cash", amount: 1299 - 349 },
      { method: "voucher", amount: 349 },
    ]);
  });

  test("with nothing on the register to pay, an exchange is refused and nothing is written", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.bread }], 349);
    const before = footprint(t.store);
    const res = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "wrong_size", refund: "exchange" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("scan them, then take the return");
    expect(footprint(t.store)).toEqual(before);
  });
});

describe("no receipt", () => {
  test("items are priced from today's catalog; a cashier alone is refused, a manager's PIN takes it, as store credit", async () => {
    const added = await form(cashier, "/returns/no-receipt/item", { code: codes.milk, qty: "2" });
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain("Fresh Milk 1 L");
    expect(html).toContain("2.38");
    const more = await form(cashier, "/returns/no-receipt/item", { item_1: /name="item_1" value="([^"]+)"/.exec(html)![1]!, code: "BREAD-SOUR", qty: "1" });
    const both = await more.text();
    expect(both).toContain("Sourdough Bread 800 g");
    expect(both).toContain("5.87");
    const items = Object.fromEntries([...both.matchAll(/name="(item_\d+)" value="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));

    const before = footprint(t.store);
    const refused = await form(cashier, "/returns/no-receipt", { ...items, reason: "changed_mind", refund: "store_credit" });
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("A return without a receipt needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);

    const ok = await form(cashier, "/returns/no-receipt", { ...items, reason: "changed_mind", refund: "store_credit", ...approvalBy(manager) });
    expect(ok.status).toBe(200);
    const code = codeIn(await ok.text())!;
    expect(balance(code)).toBe(587);
    const row = t.store.db
      .query<{ sale_id: string | null; approver_id: number; total: number }, []>("SELECT sale_id, approver_id, total FROM returns ORDER BY rowid DESC LIMIT 1")
      .get()!;
    expect(row).toEqual({ sale_id: null, approver_id: manager.userId, total: 587 });
  });

  test("never more than the shop's limit without a receipt, even with a manager", async () => {
    const items = { item_1: `${t.store.catalog.bySku("WINE-RED")!.id}:5000` }; // 64.95, over the 50.00 default
    const before = footprint(t.store);
    const res = await form(manager, "/returns/no-receipt", { ...items, reason: "changed_mind", refund: "store_credit" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("at most the limit its policy sets");
    expect(footprint(t.store)).toEqual(before);
  });

  test("an item the catalog does not know, or a forged item field, is refused", async () => {
    expect((await form(cashier, "/returns/no-receipt/item", { code: "NOPE-123" })).status).toBe(422);
    const forged = await form(manager, "/returns/no-receipt", { item_1: "999999:1000", reason: "changed_mind", refund: "store_credit" });
    expect(forged.status).toBe(422);
    expect((await form(manager, "/returns/no-receipt", { item_1: "1:1000; DROP", reason: "changed_mind", refund: "store_credit" })).status).toBe(422);
  });
});

describe("the return policy", () => {
  test("past the days allowed, or a product not taken back: the cashier is told, a manager approves", async () => {
    const sale = sold([{ barcode: codes.paper }], 250);
    t.store.db
      .query("INSERT INTO settings(key, value) VALUES ('non_returnable_skus', 'PAPER-DAILY') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run();
    t.store.reloadSettings();
    const shown = await (await get(cashier, `/returns/sale?code=${sale.receipt}`)).text();
    expect(shown).toContain("Daily Newspaper is not taken back");
    const before = footprint(t.store);
    const refused = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original" });
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("Taking it back anyway needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);
    const ok = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original", ...approvalBy(manager) });
    expect(ok.status).toBe(200);
    t.store.db.query("DELETE FROM settings WHERE key = 'non_returnable_skus'").run();
    t.store.reloadSettings();
  });

  test("a product marked on its page as not taken back is refused like one the settings list", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.milk }], 119);
    t.store.db.query("UPDATE products SET returnable = 0 WHERE sku = 'MILK-1L'").run();
    try {
      const refused = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original" });
      expect(refused.status).toBe(403);
      expect(await said(refused)).toContain("Fresh Milk 1 L is not taken back");
    } finally {
      t.store.db.query("UPDATE products SET returnable = 1 WHERE sku = 'MILK-1L'").run();
    }
  });

  test("31 days after the sale (30 allowed) needs a manager", async () => {
    const sale = sold([{ barcode: codes.bread }], 349);
    t.clock.advance(31 * 86_400_000);
    const [cashier, manager] = [await lane(), await signIn(t.store, ++lanes, { role: "manager" })];
    const refused = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original" });
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("This sale was 31 days ago; the shop takes goods back within 30 days.");
    const ok = await form(manager, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original" });
    expect(ok.status).toBe(200);
  });
});

describe("a return's receipt again", () => {
  test("the sale's page lists its returns; a copy of a return's receipt prints marked COPY, in the journal and the audit log", async () => {
    const cashier = await lane();
    const sale = sold([{ barcode: codes.milk, qty: 2 }], 238);
    await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "original" });
    const page = await said(await get(cashier, `/sales/${sale.id}`));
    const link = /href="\/sales\/returns\/([^"?]+)\?/.exec(page);
    expect(link).not.toBeNull();
    expect(page).toMatch(/Return R\d{3}-\d{6}/);
    const returnId = link![1]!;
    const shown = await said(await get(cashier, `/sales/returns/${returnId}`));
    expect(shown).toContain(`of receipt ${sale.receipt}`);
    const res = await form(cashier, `/sales/returns/${returnId}/reprint`, {});
    expect(res.status).toBe(303);
    const job = t.store.db
      .query<{ kind: string; payload: string }, [string]>("SELECT kind, payload FROM print_jobs WHERE return_id = ? ORDER BY id DESC LIMIT 1")
      .get(returnId)!;
    expect(job.kind).toBe("copy");
    expect(JSON.parse(job.payload).doc.copy).toBe(true);
    const audit = t.store.db
      .query<{ action: string; detail: string }, [string]>("SELECT action, detail FROM audit_log WHERE subject = ? ORDER BY id DESC LIMIT 1")
      .get(returnId)!;
    expect(audit.action).toBe("receipt.reprinted");
    const journal = t.store.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM journal WHERE kind = 'receipt.reprinted' AND ref = ?").get(returnId)!;
    expect(journal.n).toBe(1);
    expect((await form(cashier, "/sales/returns/no-such-return/reprint", {})).status).toBe(404);
  });
});

describe("finding the sale without its receipt", () => {
  test("by the card's last four, the amount or the time: one match opens it, several are listed, none is said", async () => {
    const cashier = await lane();
    const byCard = t.store.checkout.sell(
      t.registerId,
      [{ barcode: codes.paper }, { barcode: codes.paper }],
      [{ method: "card", amount: 500, card: { last4: "4242" } }],
    ).sale;
    const one = await said(await get(cashier, "/returns/sale?code=4242"));
    expect(one).toContain(`Return from receipt ${byCard.receipt_number}`);
    sold([{ barcode: codes.bread }, { barcode: codes.bread }, { barcode: codes.bread }], 1047);
    sold([{ barcode: codes.bread }, { barcode: codes.bread }, { barcode: codes.bread }], 1047);
    const several = await said(await get(cashier, "/returns/sale?code=10.47"));
    expect(several).toContain("Sales matching 10.47");
    expect([...several.matchAll(/data-testid="return-found-sale"/g)].length).toBe(2);
    const at = await said(await get(cashier, `/returns/sale?code=${encodeURIComponent("10:00")}&day=${t.clock.now().toISOString().slice(0, 10)}`));
    expect(at).toContain("return-found");
    const none = await get(cashier, "/returns/sale?code=999.99");
    expect(none.status).toBe(404);
    expect(await said(none)).toContain("No sale of this store matches 999.99");
    expect((await get(cashier, "/returns/sale?code=12.50&day=2026-02-31")).status).toBe(422);
    expect((await get(cashier, "/returns/sale?code=bananas")).status).toBe(422);
  });
});

describe("the cashier's split", () => {
  test("a card sale: part back to the card, the rest in cash; less to the card than it paid needs a manager", async () => {
    const cashier = await lane();
    const sale = t.store.checkout.sell(t.registerId, [{ barcode: codes.wine }], [{ method: "card", amount: 1299, card: { last4: "1111" } }]).sale;
    const shown = await said(await get(cashier, `/returns/sale?code=${sale.receipt_number}`));
    expect(shown).toContain('data-testid="refund-split"');
    const before = footprint(t.store);
    const refused = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "split", to_card: "10.00" });
    expect(refused.status).toBe(403);
    expect(await said(refused)).toContain("Giving back in cash what a card or store credit paid needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);
    const ok = await form(cashier, "/returns", {
      sale_id: sale.id,
      qty_1: "1",
      reason: "changed_mind",
      refund: "split",
      to_card: "10.00",
      ...approvalBy(manager),
    });
    expect(ok.status).toBe(200);
    const refunds = t.store.db
      .query<{ method: string; amount: number }, [string]>(
        "SELECT f.method, f.amount FROM return_refunds f JOIN returns r ON r.id = f.return_id WHERE r.sale_id = ? ORDER BY n",
      )
      .all(sale.id);
    expect(refunds).toEqual([
      { method: "card", amount: 1000 },
      { method: "cash", amount: 299 },
    ]);
    const more = await form(cashier, "/returns", { sale_id: sale.id, qty_1: "1", reason: "changed_mind", refund: "split", to_card: "abc" });
    expect(more.status).toBe(422);
  });
});

describe("what a reviewer tried, closed", () => {
  // (a manager signed in now: the clock has moved on a month since the first one did)
  let manager: SignedIn;
  beforeAll(async () => {
    manager = await signIn(t.store, ++lanes, { role: "manager" });
  });
  test("store credit turned into cash by a split with nothing to the card needs a manager", async () => {
    const cashier = await lane();
    const first = sold([{ barcode: codes.wine }], 1299);
    const code = codeIn(await said(await form(cashier, "/returns", { sale_id: first.id, qty_1: "1", reason: "changed_mind", refund: "store_credit" })))!;
    await form(cashier, "/register/scan", { code: codes.wine });
    await form(cashier, "/register/pay", { method: "voucher", voucher: code, amount: "" });
    const paidByCredit = t.store.db
      .query<{ sale_id: string }, [string]>("SELECT sale_id FROM voucher_movements WHERE code = ? AND amount < 0")
      .get(code)!.sale_id;
    const before = footprint(t.store);
    const res = await form(cashier, "/returns", { sale_id: paidByCredit, qty_1: "1", reason: "changed_mind", refund: "split", to_card: "0" });
    expect(res.status).toBe(403);
    expect(await said(res)).toContain("Giving back in cash what a card or store credit paid needs a manager's approval");
    expect(footprint(t.store)).toEqual(before);
  });

  test("a sale id whose digits pass a card number's check is an id, not a card: the form takes it", async () => {
    const cashier = await lane();
    // (its digits, run together, pass the Luhn check: the text gate refused such ids as card numbers)
    const res = await form(cashier, "/returns", { sale_id: "01a24297-a288-7183-8959-47490058a1c7", qty_1: "1", reason: "changed_mind", refund: "original" });
    expect({ status: res.status, says: await said(res) }).toMatchObject({ status: 404 });
    const card = await form(cashier, "/returns", { sale_id: "4111 1111 1111 1111", qty_1: "1", reason: "changed_mind", refund: "original" });
    expect(card.status).toBe(422);
    expect(await said(card)).toContain("card number");
  });

  test("an exchange of goods paid nothing for is refused, not a server error", async () => {
    const cashier = await lane();
    await form(cashier, "/register/scan", { code: codes.wine });
    const ham = t.store.catalog.bySku("HAM-PACK")!;
    const res = await form(manager, "/returns/no-receipt", { item_1: `${ham.id}:1000`, reason: "changed_mind", refund: "exchange" });
    expect(res.status).toBe(422);
    expect(await said(res)).toContain("has no price in the catalog");
  });

  test("items carried by the no-receipt form are checked as if typed: no quantity nobody could type", async () => {
    const wine = t.store.catalog.bySku("WINE-RED")!;
    const before = footprint(t.store);
    for (const item of [`${wine.id}:999999000`, `${wine.id}:500`, `${wine.id}:0`]) {
      const res = await form(manager, "/returns/no-receipt", { item_1: item, reason: "changed_mind", refund: "store_credit" });
      expect({ item, status: res.status }).toEqual({ item, status: 422 });
    }
    expect(footprint(t.store)).toEqual(before);
  });

  test("an API payment by voucher names its store credit; one that does not is refused and writes nothing", async () => {
    const before = footprint(t.store);
    const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.wine }], payments: [{ method: "voucher", amount: 1299 }] } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("names its store credit");
    expect(footprint(t.store)).toEqual(before);
  });
});
