// The contract against what the store really writes: every kind its producers make today parses with the exact
// schema, a document that strays from it is refused with a sentence naming the field, and the uploader's batch is the
// contract's envelope, read back to the same text. Head office's reading keeps keys it does not know.
import { afterAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, signIn } from "../../tests/helpers/store.ts";
import {
  acceptedPayloads,
  type BatchItem,
  batch,
  batchAcked,
  batchOf,
  batchRefused,
  catalogReply,
  contentHash,
  gapDetails,
  outboxItem,
  outboxKinds,
  outboxPayloads,
  readAs,
} from "./contracts.ts";
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
  const shift = store.shifts.current(cashier.registerId)!;
  store.shifts.close(shift.id, 10_000 + 449, null, manager.userId, clock.now().toISOString());
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
    // the text a store of the version before the contract sent, built by hand as it was then
    const s = shop.store.db.query<{ epoch: string }, []>("SELECT epoch FROM sync_state").get()!;
    const before = {
      store_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      epoch: s.epoch,
      from_seq: rows[0]!.seq,
      to_seq: rows.at(-1)!.seq,
      outbox_top: rows.at(-1)!.seq,
      items: rows.map((r) => ({ seq: r.seq, kind: r.kind, ref: r.ref, hash: r.hash, payload: r.payload })),
    };
    expect(bodies[0]).toBe(JSON.stringify(before));
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
