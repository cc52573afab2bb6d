// The contract against what the store really writes: every kind its producers make today parses with the exact
// schema, a document that strays from it is refused with a sentence naming the field, and the uploader's batch is the
// contract's envelope, read back to the same text. Head office's reading keeps keys it does not know.
import { afterAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, signIn } from "../../tests/helpers/store.ts";
import { catalogReply } from "./catalog-contracts.ts";
import {
  acceptedPayloads,
  type BatchItem,
  batch,
  batchAcked,
  batchOf,
  batchRefused,
  contentHash,
  gapDetails,
  outboxItem,
  outboxKinds,
  outboxPayloads,
  outboxRef,
  type ReturnPayload,
  readAs,
  type SalePayload,
} from "./contracts.ts";
import { checkReturnItem } from "./hq/ingest/return-item.ts";
import { checkStockItem } from "./hq/ingest/stock-item.ts";
import { uploader } from "./uploader.ts";

const shop = makeTestStore();
afterAll(() => shop.close());

/** A day at a real store: a cash sale with a price override, a weighed card sale, a shift closed with its totals. */
async function aDayOfTrading(): Promise<BatchItem[]> {
  const { store, clock } = shop;
  const cashier = await signIn(store, 1, { name: "Ann" });
  const manager = await signIn(store, 2, { role: "manager", name: "Bob", shift: false });
  store.till.scan(cashier.registerId, codes.milk);
  const line = store.till.current(cashier.registerId)!.lines[0]!;
  store.till.overridePrice(cashier.registerId, line.lineId, 99, "dented carton");
  store.till.scan(cashier.registerId, codes.bread);
  store.till.pay(cashier.registerId, { method: "cash", amount: 1000 }, cashier.userId);
  store.checkout.sell(
    shop.registerId,
    [{ sku: "APPLES-KG", qty: 1.25 }, { barcode: codes.wine }],
    [{ method: "card", amount: 1673, card: { brand: "VISA", last4: "4242", authCode: "A1B2", terminalRef: "T-7" } }],
  );
  // the bread comes back, to the card it was paid with
  const sold = store.checkout.sell(cashier.registerId, [{ barcode: codes.bread }], [{ method: "card", amount: 349, card: { last4: "4242" } }]);
  store.returns.complete(
    { userId: cashier.userId, userName: "Ann", registerId: cashier.registerId, registerName: "Lane 1" },
    { saleId: sold.sale.id, lines: [{ lineNo: 1, qtyMilli: 1000 }], reasonCode: "changed_mind", refunds: "original", card: { last4: "4242", authCode: "R9" } },
    null,
  );
  const shift = store.shifts.current(cashier.registerId)!;
  store.shifts.close(shift.id, 10_000 + 449, null, manager.userId, clock.now().toISOString());
  // the day's stock movements, and the opening stock before them, go up as the background step puts them in the outbox
  await store.stockMovements.appendAll(() => clock.now().toISOString());
  await store.journalUp.appendAll(() => clock.now().toISOString());
  return store.db.query<BatchItem, []>("SELECT seq, kind, ref, hash, payload FROM outbox ORDER BY seq").all();
}

let rows: BatchItem[] = [];
const payloadOf = (kind: string) => JSON.parse(rows.find((r) => r.kind === kind)!.payload);

describe("what a store writes", () => {
  test("every kind its producers make today is the contract's, with its ref and hash", async () => {
    rows = await aDayOfTrading();
    expect([...new Set(rows.map((r) => r.kind))].sort()).toEqual([...outboxKinds].sort());
    for (const row of rows) expect(outboxItem.safeParse(row).error?.issues ?? []).toEqual([]);
    const sale = outboxPayloads.sale.parse(payloadOf("sale"));
    expect(sale.lines[0]).toMatchObject({ original_price: 119, override_reason: "dented carton", unit_price: 99 });
    const card = rows.filter((r) => r.kind === "sale").map((r) => outboxPayloads.sale.parse(JSON.parse(r.payload)))[1]!;
    expect(card.payments[0]).toMatchObject({ card_brand: "VISA", card_last4: "4242", auth_code: "A1B2", terminal_ref: "T-7" });
    expect(card.lines[0]!.qty).toBe(1.25);
    const returned = outboxPayloads.return.parse(payloadOf("return"));
    expect(returned).toMatchObject({
      total: 349,
      reason_code: "changed_mind",
      refunds: [{ method: "card", amount: 349, card_last4: "4242", auth_code: "R9" }],
    });
    expect(checkReturnItem(rows.find((r) => r.kind === "return")!)).toMatchObject({ ok: true });
  });

  test("the hash is the contract's content hash over the text as written", () => {
    for (const row of rows) expect(row.hash).toBe(contentHash(row.payload));
  });
});

describe("a document that strays from the contract", () => {
  const sentence = (kind: keyof typeof outboxPayloads, doc: unknown) => {
    try {
      readAs(outboxPayloads[kind], doc, `a ${kind} document`);
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };

  test("a missing field is refused, naming it", () => {
    const { total: _total, ...sale } = payloadOf("sale");
    expect(sentence("sale", sale)).toBe("not a sale document: total: Invalid input: expected number, received undefined");
    const { expected_cash: _cash, ...z } = payloadOf("shift_closed");
    expect(sentence("shift_closed", z)).toBe("not a shift_closed document: expected_cash: Invalid input: expected number, received undefined");
  });

  test("an extra field is refused by the exact reading, and kept by head office's", () => {
    const sale = payloadOf("sale");
    sale.lines[1].loyalty = 3;
    expect(sentence("sale", sale)).toBe('not a sale document: lines[1]: Unrecognized key: "loyalty"');
    expect(acceptedPayloads.sale.parse(sale).lines[1]).toMatchObject({ loyalty: 3 });
    const totals = { ...payloadOf("day_totals"), note: "x" };
    expect(sentence("day_totals", totals)).toBe('not a day_totals document: (whole): Unrecognized key: "note"');
    expect(acceptedPayloads.day_totals.parse(totals)).toMatchObject({ note: "x" });
  });

  test("a field of the wrong type is refused by both readings", () => {
    const sale = payloadOf("sale");
    sale.payments[0].amount = "10.00";
    expect(sentence("sale", sale)).toBe("not a sale document: payments[0].amount: Invalid input: expected number, received string");
    expect(acceptedPayloads.sale.safeParse(sale).success).toBe(false);
    const totals = { ...payloadOf("day_totals"), business_date: "2026-02-30" };
    expect(sentence("day_totals", totals)).toBe("not a day_totals document: business_date: must be a date YYYY-MM-DD between the years 2000 and 2199");
  });

  test("an item whose ref, hash or kind does not go with its payload is refused", () => {
    const sale = rows.find((r) => r.kind === "sale")!;
    const issues = (item: BatchItem) => outboxItem.safeParse(item).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ ...sale, ref: "another" })).toEqual(["ref: ref does not match the payload"]);
    expect(issues({ ...sale, hash: "0".repeat(64) })).toEqual(["hash: hash is not the SHA-256 of the payload"]);
    expect(issues({ ...sale, kind: "refund" })).toEqual(['kind: unknown kind "refund"']);
    expect(issues({ ...sale, kind: "day_totals" })?.[0]).toBe("payload.by_method: Invalid input: expected record, received undefined");
  });
});

/**
 * A return of the first line of a sale the store wrote, refunded in cash, built by hand as the contract describes it
 * (the store's own producer is being written).
 */
function aReturnOf(sale: SalePayload): ReturnPayload {
  const l = sale.lines[0]!;
  return {
    at: "2026-11-25T15:00:00.000Z",
    id: "0f8fad5b-d9cb-469f-a165-70867728950f",
    lines: [
      {
        qty: l.qty,
        sku: l.sku,
        tax: l.tax,
        name: l.name,
        refund: l.total,
        line_no: l.line_no,
        restock: true,
        tax_class: l.tax_class,
        product_id: l.product_id,
        tax_rate_bp: l.tax_rate_bp,
      },
    ],
    taxes: [{ net: l.total - l.tax, tax: l.tax, rate_bp: l.tax_rate_bp, tax_class: l.tax_class }],
    total: l.total,
    reason: "Changed mind",
    refunds: [{ amount: l.total, method: "cash" }],
    sale_id: sale.id,
    rounding: 0,
    tax_total: l.tax,
    reason_code: "changed_mind",
    register_id: sale.register_id,
    business_date: sale.business_date ?? sale.completed_at.slice(0, 10),
    return_number: "R001-000001",
    receipt_number: sale.receipt_number,
  };
}

describe("a return", () => {
  const returnItem = (doc: unknown, seq = 1): BatchItem => {
    const payload = JSON.stringify(doc);
    return { seq, kind: "return", ref: (doc as { id: string }).id, hash: contentHash(payload), payload };
  };
  const sentence = (doc: unknown, exact = true) => {
    try {
      readAs(exact ? outboxPayloads.return : acceptedPayloads.return, doc, "a return document");
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };

  test("of a sale the store wrote is the contract's, keyed by its id, and head office's checks take it", () => {
    const doc = aReturnOf(outboxPayloads.sale.parse(payloadOf("sale")));
    expect(sentence(doc)).toBe("accepted");
    expect(outboxRef.return(doc)).toBe(doc.id);
    expect(outboxItem.safeParse(returnItem(doc)).error?.issues ?? []).toEqual([]);
    expect(checkReturnItem(returnItem(doc))).toMatchObject({ ok: true, ref: doc.id, businessDate: doc.business_date });
    // a card refund keeps brand, last four, auth code and terminal reference, nothing more
    const card = { ...doc, refunds: [{ amount: doc.total, method: "card", card_brand: "VISA", card_last4: "4242", auth_code: "A1", terminal_ref: "T-7" }] };
    expect(sentence(card)).toBe("accepted");
    expect(sentence({ ...card, refunds: [{ ...card.refunds[0], card_number: "4111111111111111" }] })).toBe(
      'not a return document: refunds[0]: Unrecognized key: "card_number"',
    );
  });

  test("a return that strays from the contract is refused, naming the field; head office's reading keeps keys it does not know", () => {
    const doc = aReturnOf(outboxPayloads.sale.parse(payloadOf("sale")));
    const { return_number: _n, ...unnumbered } = doc;
    expect(sentence(unnumbered)).toBe("not a return document: return_number: Invalid input: expected string, received undefined");
    expect(sentence({ ...doc, lines: [] })).toMatch(/^not a return document: lines: Too small/);
    // a return worth nothing (a free item) gives nothing back: no refunds is a return all the same
    expect(sentence({ ...doc, total: 0, refunds: [] })).toBe("accepted");
    expect(sentence({ ...doc, sale_id: "sale-1" })).toMatch(/^not a return document: sale_id: /);
    expect(sentence({ ...doc, business_date: "2026-02-30" })).toMatch(/^not a return document: business_date: must be a date/);
    expect(sentence({ ...doc, lines: [{ ...doc.lines[0]!, qty: 1.0005 }] })).toBe("not a return document: lines[0].qty: must be a whole number of thousandths");
    expect(sentence({ ...doc, lines: [{ ...doc.lines[0]!, restock: "yes" }] })).toMatch(/^not a return document: lines\[0\]\.restock: /);
    const newer = { ...doc, approved_by: "Bob" };
    expect(sentence(newer)).toBe('not a return document: (whole): Unrecognized key: "approved_by"');
    expect(acceptedPayloads.return.parse(newer)).toMatchObject({ approved_by: "Bob" });
    expect(outboxItem.safeParse({ ...returnItem(doc), ref: doc.sale_id }).error?.issues.map((i) => i.message)).toEqual(["ref does not match the payload"]);
  });

  test("day totals carry the day's refunds and count of returns when the store has them, and are read without them", () => {
    const totals = payloadOf("day_totals");
    expect(outboxPayloads.day_totals.safeParse(totals).success).toBe(true);
    const withReturns = { ...totals, refund_minor: 1299, returns_count: 2 };
    expect(outboxPayloads.day_totals.parse(withReturns)).toMatchObject({ refund_minor: 1299, returns_count: 2 });
    const { refund_minor: _r, returns_count: _c, ...before } = withReturns;
    expect(outboxPayloads.day_totals.parse(before)).not.toHaveProperty("refund_minor");
    const refused = (doc: unknown) => outboxPayloads.day_totals.safeParse(doc).error?.issues.map((i) => i.path.join("."));
    expect(refused({ ...withReturns, returns_count: -1 })).toEqual(["returns_count"]);
    expect(refused({ ...withReturns, refund_minor: 12.5 })).toEqual(["refund_minor"]);
    expect(refused({ ...withReturns, refund_minor: null })).toEqual(["refund_minor"]);
  });
});

describe("stock movements", () => {
  test("as the store writes them: keyed by their first and last ids and when the last moved, and head office's checks take them", () => {
    const row = rows.find((r) => r.kind === "stock_movements")!;
    const doc = outboxPayloads.stock_movements.parse(JSON.parse(row.payload));
    expect(row.ref).toBe(`${doc.movements[0]!.id}-${doc.movements.at(-1)!.id}@${doc.movements.at(-1)!.at}`);
    expect(checkStockItem(row)).toMatchObject({ ok: true, ref: row.ref });
    // a newer store's added field is kept by head office's reading and refused by the exact one
    const newer = { ...doc, movements: doc.movements.map((m) => ({ ...m, bin: "A1" })) };
    expect(outboxPayloads.stock_movements.safeParse(newer).success).toBe(false);
    expect(acceptedPayloads.stock_movements.parse(newer).movements[0]).toMatchObject({ bin: "A1" });
  });
});

describe("the envelope", () => {
  test("the uploader sends the contract's batch, which reads back to the same text", async () => {
    const bodies: string[] = [];
    const up = uploader({
      db: shop.store.db,
      clock: shop.clock,
      ids: shop.store.ids,
      link: () => ({ url: "http://hq.test", token: "t".repeat(20), storeId: "0f8fad5b-d9cb-469f-a165-70867728950e" }),
      fetch: (async (_url: URL, init: RequestInit) => {
        bodies.push(init.body as string);
        const sent = JSON.parse(init.body as string);
        return Response.json({ acked_through: sent.to_seq, epoch: sent.epoch });
      }) as unknown as typeof fetch,
    });
    expect(await up.tick()).toBe(rows.length);
    expect(bodies.length).toBe(1);
    const parsed = batch.parse(JSON.parse(bodies[0]!));
    expect(JSON.stringify(parsed)).toBe(bodies[0]!);
    expect(parsed.items.map((i) => i.payload)).toEqual(rows.map((r) => r.payload));
    // the text a store of the version before the contract sent, built by hand as it was then, with the one key added
    // since (the installation the database belongs to, after outbox_top); a batch without it still reads
    const s = shop.store.db.query<{ epoch: string; installation_id: string }, []>("SELECT epoch, installation_id FROM sync_state").get()!;
    const before = {
      store_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      epoch: s.epoch,
      from_seq: rows[0]!.seq,
      to_seq: rows.at(-1)!.seq,
      outbox_top: rows.at(-1)!.seq,
      items: rows.map((r) => ({ seq: r.seq, kind: r.kind, ref: r.ref, hash: r.hash, payload: r.payload })),
    };
    const { items, ...head } = before;
    expect(bodies[0]).toBe(JSON.stringify({ ...head, installation: s.installation_id, items }));
    expect(batch.safeParse(before).success).toBe(true);
  });

  test("items out of order or missing are refused", () => {
    const b = batchOf("0f8fad5b-d9cb-469f-a165-70867728950e", "E1", rows, rows.length);
    expect(batch.safeParse({ ...b, items: b.items.slice(1) }).success).toBe(false);
    expect(batch.safeParse({ ...b, items: [b.items[1], b.items[0], ...b.items.slice(2)] }).success).toBe(false);
    expect(batch.safeParse({ ...b, outbox_top: 1 }).error?.issues[0]?.path).toEqual(["outbox_top"]);
    expect(() => batchOf("0f8fad5b-d9cb-469f-a165-70867728950e", "E1", [], 0)).toThrow(RangeError);
  });

  test("head office's replies read as the contract says, older or newer", () => {
    expect(batchAcked.parse({ acked_through: 4, epoch: "E1", changed: [2] })).toEqual({ acked_through: 4, epoch: "E1", changed: [2] });
    expect(batchAcked.parse({ acked_through: 4, epoch: "E1", later: true })).toEqual({ acked_through: 4, epoch: "E1" });
    const gap = batchRefused.parse({ error: { code: "gap", message: "send from 5", details: { last_seq: 4, expected_from_seq: 5 } } });
    expect(gapDetails.parse(gap.error.details).expected_from_seq).toBe(5);
  });
});

describe("catalog changes", () => {
  const milk = { sku: "MILK", barcode: "4000000000017", name: "Milk", price: 129, tax_class: "RED", category: "Dairy", weighed: false, active: true };
  const reply = {
    latest: 2,
    snapshot: { version: 1, changes: { tax_classes: [{ code: "RED", name: "Reduced", rate_bp: 1000 }], products: [milk] } },
    releases: [{ version: 2, effective_at: "2026-11-26T06:00:00.000Z", changes: { tax_classes: [], products: [{ ...milk, price: 139 }] } }],
  };

  test("a reply reads whole; a field a newer head office adds is no reason to refuse it", () => {
    expect(catalogReply.parse(reply)).toEqual(reply);
    expect(catalogReply.parse({ ...reply, releases: [{ ...reply.releases[0]!, note: "new" }] })).toEqual(reply);
  });

  test("a product without its price, or a time the store cannot compare, is refused with a sentence", () => {
    const { price: _price, ...noPrice } = milk;
    const bad = { ...reply, releases: [{ ...reply.releases[0]!, changes: { tax_classes: [], products: [noPrice] } }] };
    expect(() => readAs(catalogReply, bad, "catalog changes")).toThrow(
      "not catalog changes: releases[0].changes.products[0].price: Invalid input: expected number, received undefined",
    );
    const local = { ...reply, releases: [{ ...reply.releases[0]!, effective_at: "2026-11-26T07:00:00+01:00" }] };
    expect(() => readAs(catalogReply, local, "catalog changes")).toThrow("releases[0].effective_at");
  });
});
