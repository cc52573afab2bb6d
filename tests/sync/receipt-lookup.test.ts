// A customer brings a receipt of another store of the chain: the store asks head office (GET /sync/v1/receipts) and
// gets that store's sale as a return reads it — its lines, what each cost after discounts, its tenders net of change,
// and what returns at any store have taken of it — never its own sales, only with its store token, and an answer
// whatever happens to head office on the way. And for a sale of the store's own (GET /sync/v1/sales/:saleId/returns):
// what returns at the chain's other stores have taken of it, or null when head office cannot say.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { HeadOfficeLink } from "../../src/server/head-office/link.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { findReceiptElsewhere, RETURNS_ELSEWHERE_TIMEOUT_MS, returnsOfSaleElsewhere } from "../../src/sync/receipt-lookup.ts";
import { batch, type Doc, item, returnDoc, saleDoc, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let server: ReturnType<typeof Bun.serve>;
let url: string;
let harbour: RegisteredStore;
let market: RegisteredStore;
let station: RegisteredStore;

beforeAll(async () => {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createHqApp(db.sql, "test").fetch });
  url = `http://127.0.0.1:${server.port}`;
  harbour = await addStore(db.sql, "Harbour Street");
  market = await addStore(db.sql, "Market Square");
  station = await addStore(db.sql, "Station Road");
});
afterAll(() => {
  server?.stop(true);
});

const linkOf = (s: RegisteredStore): HeadOfficeLink => ({ url, storeId: s.storeId, token: s.token });

/**
 * A sale of three lines at 10 % tax included: 2 × 1.07, 3 × 1.20 less 1.00 off the line, 0.750 kg at 1.33 a kg; paid
 * 5.00 by card and the rest in cash, 0.30 given back in change.
 */
function soldAt(receipt: string, at: string): Doc {
  const base = saleDoc(1, { lines: 3 });
  const taxOf = (gross: number) => Math.round((gross * 1000) / 11000);
  const lines = base.lines.map((l) => {
    if (l.line_no === 2) return { ...l, discount: 100, total: l.amount - 100, tax: taxOf(l.amount - 100) };
    if (l.line_no === 3) {
      const amount = Math.round(0.75 * l.unit_price);
      return { ...l, qty: 0.75, weighed: true, amount, total: amount, tax: taxOf(amount) };
    }
    return l;
  });
  const total = lines.reduce((s, l) => s + l.total, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  return {
    ...base,
    id: Bun.randomUUIDv7(),
    receipt_number: receipt,
    opened_at: new Date(Date.parse(at) - 60_000).toISOString(),
    completed_at: at,
    lines,
    subtotal: lines.reduce((s, l) => s + l.amount, 0),
    discount_total: 100,
    tax_total: tax,
    total,
    paid: total + 30,
    change: 30,
    payments: [
      { method: "card", amount: 500, card_brand: "VISA", card_last4: "4242", auth_code: "A1", terminal_ref: "T1" },
      { method: "cash", amount: total - 500 + 30 },
    ],
    taxes: [{ tax_class: "RED", rate_bp: 1000, net: total - tax, tax }],
  };
}

const nextSeq = new Map<string, number>();

/** Send documents up as the store's uploader does: one batch over HTTP with the store's token. */
async function upload(store: RegisteredStore, docs: { kind: "sale" | "return"; doc: unknown }[]): Promise<void> {
  const from = nextSeq.get(store.storeId) ?? 1;
  const items = docs.map((d, i) => item(from + i, d.doc, d.kind));
  const res = await fetch(`${url}/sync/v1/batches`, {
    method: "POST",
    headers: { Authorization: `Bearer ${store.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(batch(store.storeId, "E1", items)),
  });
  expect(await res.json()).toEqual({ acked_through: from + docs.length - 1, epoch: "E1" });
  nextSeq.set(store.storeId, from + docs.length);
}
const sale = (doc: Doc) => ({ kind: "sale" as const, doc });

async function lookUp(store: RegisteredStore, number: string) {
  return findReceiptElsewhere(linkOf(store), number);
}

/** The store ids of what a lookup found, in its order. */
async function foundAt(store: RegisteredStore, number: string): Promise<string[] | "not_found" | "unreachable"> {
  const r = await lookUp(store, number);
  return r.status === "found" ? r.sales.map((s) => s.storeId) : r.status;
}

async function get(path: string, auth?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, { headers: auth ? { Authorization: auth } : {} });
  return { status: res.status, body: await res.json() };
}

describe("a receipt of another store", () => {
  test("is found with its lines, what each line cost after discounts, and its tenders net of the change", async () => {
    const doc = soldAt("001-000123", "2026-11-25T10:00:00.000Z");
    await upload(harbour, [sale(doc)]);

    const r = await lookUp(market, "001-000123");
    expect(r).toEqual({
      status: "found",
      sales: [
        {
          storeId: harbour.storeId,
          storeName: "Harbour Street",
          original: {
            saleId: doc.id,
            origin: { storeId: harbour.storeId, storeName: "Harbour Street" },
            receiptNumber: "001-000123",
            completedAt: "2026-11-25T10:00:00.000Z",
            lines: doc.lines.map((l) => ({
              lineNo: l.line_no,
              lineId: `${doc.id}:${l.line_no}`,
              productId: l.product_id,
              sku: l.sku,
              name: l.name,
              weighed: l.weighed,
              qtyMilli: Math.round(l.qty * 1000),
              paid: l.total,
              tax: l.tax,
              taxClass: "RED",
              rateBp: 1000,
            })),
            tenders: [
              { method: "card", amount: 500 },
              { method: "cash", amount: doc.total - 500 },
            ],
          },
          earlier: { qtyByLine: {}, refundedByMethod: {} },
        },
      ],
    });
    // spelled out: the discounted line is what was paid for it, the weighed line its thousandths
    const found = r.status === "found" ? r.sales[0]!.original : null;
    expect(found?.lines.map((l) => [l.qtyMilli, l.paid, l.weighed])).toEqual([
      [2000, 214, false],
      [3000, 260, false],
      [750, 100, true],
    ]);
    expect(found?.tenders.reduce((s, t) => s + t.amount, 0)).toBe(214 + 260 + 100);
  });

  test("is never the asking store's own: each store sees the others' sales with that number, newest first", async () => {
    await upload(station, [sale(soldAt("002-000555", "2026-11-25T09:00:00.000Z"))]);
    await upload(harbour, [sale(soldAt("002-000555", "2026-11-25T10:00:00.000Z"))]);
    await upload(market, [sale(soldAt("002-000555", "2026-11-26T11:00:00.000Z"))]);
    expect(await foundAt(market, "002-000555")).toEqual([harbour.storeId, station.storeId]);
    expect(await foundAt(harbour, "002-000555")).toEqual([market.storeId, station.storeId]);
    expect(await foundAt(station, "002-000555")).toEqual([market.storeId, harbour.storeId]);

    // a number only the asking store printed is found nowhere else
    await upload(harbour, [sale(soldAt("003-000777", "2026-11-25T12:00:00.000Z"))]);
    expect(await foundAt(harbour, "003-000777")).toBe("not_found");
    expect(await foundAt(station, "003-000777")).toEqual([harbour.storeId]);
  });

  test("comes with what returns at the other stores have taken of it, per line and per tender", async () => {
    const doc = soldAt("004-000042", "2026-11-25T10:00:00.000Z");
    await upload(harbour, [sale(doc)]);
    // the first line wholly back at the station, one of the three discounted ones at the harbour itself
    const atStation = returnDoc(doc, 1, { lines: [{ line_no: 1 }] });
    const atHarbour = returnDoc(doc, 2, { lines: [{ line_no: 2, qty: 1 }] });
    await upload(station, [{ kind: "return", doc: atStation }]);
    await upload(harbour, [{ kind: "return", doc: atHarbour }]);
    // a return of another sale counts for that sale only
    const other = soldAt("004-000043", "2026-11-25T10:05:00.000Z");
    await upload(harbour, [sale(other), { kind: "return", doc: returnDoc(other, 3, { lines: [{ line_no: 3 }] }) }]);

    const r = await lookUp(market, "004-000042");
    expect(r.status).toBe("found");
    const [found] = r.status === "found" ? r.sales : [];
    expect(found!.earlier).toEqual({ qtyByLine: { 1: 2000, 2: 1000 }, refundedByMethod: { card: 214 + 87 } });
    expect(atStation.total + atHarbour.total).toBe(214 + 87);
    // the lines as sold are unchanged by the returns
    expect(found!.original.lines.map((l) => l.qtyMilli)).toEqual([2000, 3000, 750]);
    // the station counts its own returns from its own database (head office may not have them yet): not these
    const asked = await lookUp(station, "004-000042");
    const [seen] = asked.status === "found" ? asked.sales : [];
    expect(seen!.earlier).toEqual({ qtyByLine: { 2: 1000 }, refundedByMethod: { card: 87 } });
  });

  test("of a number no store printed is not found", async () => {
    expect(await lookUp(market, "009-999999")).toEqual({ status: "not_found" });
  });

  test("answers at most ten sales, the newest", async () => {
    const stores = await Promise.all(Array.from({ length: 12 }, (_, i) => addStore(db.sql, `Branch ${i + 1}`)));
    for (const [i, s] of stores.entries()) {
      await upload(s, [sale(soldAt("005-000005", new Date(Date.parse("2026-11-25T08:00:00.000Z") + i * 60_000).toISOString()))]);
    }
    expect(await foundAt(market, "005-000005")).toEqual(
      stores
        .slice(2)
        .reverse()
        .map((s) => s.storeId),
    );
  });
});

describe("GET /sync/v1/receipts", () => {
  test("a number that is not a receipt number is 400 with a code and a sentence; the store does not even ask", async () => {
    const auth = `Bearer ${market.token}`;
    for (const n of [null, "", "123", "01-000123", "001-00012", "001-000123x", " 001-000123", "001-000123\n", "A01-000123", `001-${"1".repeat(200)}`]) {
      const r = await get(n === null ? "/sync/v1/receipts" : `/sync/v1/receipts?${new URLSearchParams({ number: n })}`, auth);
      expect([n, r.status]).toEqual([n, 400]);
      const error = (r.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("invalid_request");
      expect(error.message).toContain("001-000123");
    }
    let asked = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      asked++;
      return fetch(...args);
    }) as typeof fetch;
    expect(await findReceiptElsewhere(linkOf(market), "12-34", { fetch: counting })).toEqual({ status: "not_found" });
    expect(asked).toBe(0);
  });

  test("without the store's token it is the batch route's 401: no token, a wrong one, an integrator's API token", async () => {
    const { secret } = await createApiToken(db.sql, "BI", "test");
    for (const auth of [undefined, "Bearer sfhq_not-a-real-token-0123456789", `Bearer ${secret}`, `Basic ${btoa("a:b")}`, market.token]) {
      const lookup = await get("/sync/v1/receipts?number=001-000123", auth);
      const upload = await fetch(`${url}/sync/v1/batches`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
        body: "{}",
      });
      expect([auth, lookup.status]).toEqual([auth, 401]);
      expect(lookup.body).toEqual(await upload.json());
      expect((lookup.body as { error: { code: string } }).error.code).toBe("store_token_invalid");
    }
    const refused = await findReceiptElsewhere({ ...linkOf(market), token: "sfhq_not-a-real-token-0123456789" }, "001-000123");
    expect(refused.status).toBe("unreachable");
    expect(refused.status === "unreachable" && refused.reason).toContain("401");
    expect(refused.status === "unreachable" && refused.reason).toContain("store_token_invalid");
  });
});

describe("the store's lookup", () => {
  test("with head office down (nothing listens) is unreachable at once, not after its timeout", async () => {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = listener.port;
    listener.stop(true);
    // a minute's timeout: the test's own 10 s limit fails it if the lookup waited for it
    const r = await findReceiptElsewhere({ ...linkOf(market), url: `http://127.0.0.1:${port}` }, "001-000123", { timeoutMs: 60_000 });
    expect(r.status).toBe("unreachable");
    expect(r.status === "unreachable" && r.reason).toStartWith("head office not reachable");
  }, 10_000);

  test("with head office taking the call and never answering gives up after its timeout", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const r = await findReceiptElsewhere({ ...linkOf(market), url: `http://127.0.0.1:${silent.port}` }, "001-000123", { timeoutMs: 200 });
      expect(r.status).toBe("unreachable");
    } finally {
      silent.stop(true);
    }
  }, 10_000);

  test("reads an answer that is not what the contract says as unreachable, with the reason, and never throws", async () => {
    const answering = (body: string, status = 200) => (() => Promise.resolve(new Response(body, { status }))) as unknown as typeof fetch;
    const good = {
      store_id: harbour.storeId,
      store_name: "Harbour Street",
      sale_id: Bun.randomUUIDv7(),
      receipt_number: "001-000123",
      completed_at: "2026-11-25T10:00:00.000Z",
      lines: [{ line_no: 1, product_id: 1, sku: "S", name: "N", weighed: false, qty_milli: 1000, paid: 100, tax: 9, tax_class: "RED", rate_bp: 1000 }],
      tenders: [{ method: "cash", amount: 100 }],
      returned: { qty_by_line: {}, refunded_by_method: {} },
    };
    const cases: [string, typeof fetch, string][] = [
      ["not JSON", answering("<html>proxy error</html>"), "not JSON"],
      ["no sales", answering(JSON.stringify({ stores: [] })), "sales"],
      ["a line without its price", answering(JSON.stringify({ sales: [{ ...good, lines: [{ ...good.lines[0], paid: "1.00" }] }] })), "sales[0].lines[0].paid"],
      ["a tender this store cannot refund", answering(JSON.stringify({ sales: [{ ...good, tenders: [{ method: "cheque", amount: 100 }] }] })), "cheque"],
      [
        "a refund to a tender this store cannot refund",
        answering(JSON.stringify({ sales: [{ ...good, returned: { qty_by_line: { "1": 1000 }, refunded_by_method: { cheque: 100 } } }] })),
        "cheque",
      ],
      ["head office's database away", answering(JSON.stringify({ error: { code: "hq_unavailable", message: "Try again." } }), 503), "503"],
      [
        "a fetch that throws before it starts",
        (() => {
          throw new TypeError("boom");
        }) as unknown as typeof fetch,
        "boom",
      ],
    ];
    for (const [what, fake, said] of cases) {
      const r = await findReceiptElsewhere(linkOf(market), "001-000123", { fetch: fake });
      expect([what, r.status]).toEqual([what, "unreachable"]);
      expect([what, r.status === "unreachable" && r.reason.includes(said)]).toEqual([what, true]);
    }
    // and the well-formed answer is read
    const ok = await findReceiptElsewhere(linkOf(market), "001-000123", { fetch: answering(JSON.stringify({ sales: [good] })) });
    expect(ok.status === "found" && ok.sales[0]!.original.lines[0]!.lineId).toBe(`${good.sale_id}:1`);
    expect(await findReceiptElsewhere({ ...linkOf(market), url: "not a url" }, "001-000123")).toMatchObject({ status: "unreachable" });
  });
});

describe("returns elsewhere of a store's own sale", () => {
  const back = (doc: ReturnType<typeof returnDoc>) => ({ kind: "return" as const, doc });
  const returnsOf = (store: RegisteredStore, saleId: string, opts?: Parameters<typeof returnsOfSaleElsewhere>[2]) =>
    returnsOfSaleElsewhere(linkOf(store), saleId, opts);

  test("are what the other stores took back of it, per line and per refund method, never the asking store's own, only to the store that sold it", async () => {
    const doc = soldAt("006-000061", "2026-11-25T10:00:00.000Z");
    await upload(harbour, [sale(doc)]);
    // the first line wholly back at the station (to the card), one discounted one at the market in cash, another one
    // at the harbour itself
    const atStation = returnDoc(doc, 11, { lines: [{ line_no: 1 }] });
    const inCash = returnDoc(doc, 12, { lines: [{ line_no: 2, qty: 1 }] });
    const atMarket = { ...inCash, refunds: [{ method: "cash", amount: inCash.total }] };
    const atHarbour = returnDoc(doc, 13, { lines: [{ line_no: 2, qty: 1 }] });
    await upload(station, [back(atStation)]);
    await upload(market, [back(atMarket)]);
    await upload(harbour, [back(atHarbour)]);
    // a return of another sale counts for that sale only
    const other = soldAt("006-000062", "2026-11-25T10:05:00.000Z");
    await upload(harbour, [sale(other)]);
    await upload(station, [back(returnDoc(other, 14, { lines: [{ line_no: 3 }] }))]);

    // the harbour sold it: the station's and the market's returns, not its own
    expect(await returnsOf(harbour, doc.id)).toEqual({ qtyByLine: { 1: 2000, 2: 1000 }, refundedByMethod: { card: 214, cash: 87 } });
    // the answer on the wire, as the contract says
    const wire = await get(`/sync/v1/sales/${doc.id}/returns`, `Bearer ${harbour.token}`);
    expect(wire).toEqual({ status: 200, body: { returned: { qty_by_line: { "1": 2000, "2": 1000 }, refunded_by_method: { card: 214, cash: 87 } } } });
    // only the store that sold it hears of them: another store asking learns nothing of a sale not its own
    expect(await returnsOf(station, doc.id)).toEqual({ qtyByLine: {}, refundedByMethod: {} });
    expect(await returnsOf(market, doc.id)).toEqual({ qtyByLine: {}, refundedByMethod: {} });
    expect(await returnsOf(harbour, other.id)).toEqual({ qtyByLine: { 3: 750 }, refundedByMethod: { card: 100 } });
    expect(await returnsOf(station, other.id)).toEqual({ qtyByLine: {}, refundedByMethod: {} });
  });

  test("are none for a sale nobody took anything back of, a sale head office does not know, or one only its store took back of", async () => {
    const doc = soldAt("006-000063", "2026-11-25T11:00:00.000Z");
    await upload(harbour, [sale(doc), { kind: "return", doc: returnDoc(doc, 15, { lines: [{ line_no: 1 }] }) }]);
    const none = { qtyByLine: {}, refundedByMethod: {} };
    expect(await returnsOf(harbour, doc.id)).toEqual(none);
    expect(await returnsOf(harbour, Bun.randomUUIDv7())).toEqual(none);
    expect(await get(`/sync/v1/sales/${Bun.randomUUIDv7()}/returns`, `Bearer ${market.token}`)).toEqual({
      status: 200,
      body: { returned: { qty_by_line: {}, refunded_by_method: {} } },
    });
  });

  test("of a sale id that is no UUID: 400 with a code and a sentence; the store does not even ask", async () => {
    const auth = `Bearer ${market.token}`;
    for (const id of ["x", "123", "0190c2a4-7b1e-7c3d-8e5f-0123456789a", "0190c2a4-7b1e-7c3d-8e5f-0123456789abc", "0190c2a47b1e7c3d8e5f0123456789ab", "%20"]) {
      const r = await get(`/sync/v1/sales/${id}/returns`, auth);
      expect([id, r.status]).toEqual([id, 400]);
      const error = (r.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("invalid_request");
      expect(error.message).toMatch(/^The sale id is .+\.$/);
    }
    let asked = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      asked++;
      return fetch(...args);
    }) as typeof fetch;
    for (const id of ["", "x", "../receipts?number=001-000123", "0190c2a4-7b1e-7c3d-8e5f-0123456789a"]) {
      expect(await returnsOf(market, id, { fetch: counting })).toBeNull();
    }
    expect(asked).toBe(0);
  });

  test("without the store's token it is the batch route's 401, and the store hears null", async () => {
    const { secret } = await createApiToken(db.sql, "BI reader", "test");
    const id = Bun.randomUUIDv7();
    for (const auth of [undefined, "Bearer sfhq_not-a-real-token-0123456789", `Bearer ${secret}`, market.token]) {
      const r = await get(`/sync/v1/sales/${id}/returns`, auth);
      expect([auth, r.status]).toEqual([auth, 401]);
      expect((r.body as { error: { code: string } }).error.code).toBe("store_token_invalid");
    }
    // the token is checked before the sale id
    expect((await get("/sync/v1/sales/x/returns")).status).toBe(401);
    expect(await returnsOfSaleElsewhere({ ...linkOf(market), token: "sfhq_not-a-real-token-0123456789" }, id)).toBeNull();
  });

  test("with head office down (nothing listens) is null at once, not after its timeout", async () => {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = listener.port;
    listener.stop(true);
    const r = await returnsOfSaleElsewhere({ ...linkOf(market), url: `http://127.0.0.1:${port}` }, Bun.randomUUIDv7(), { timeoutMs: 60_000 });
    expect(r).toBeNull();
  }, 10_000);

  test("with head office taking the call and never answering is null after its timeout, 1.5 s unless told", async () => {
    expect(RETURNS_ELSEWHERE_TIMEOUT_MS).toBe(1500);
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const link = { ...linkOf(market), url: `http://127.0.0.1:${silent.port}` };
      let started = performance.now();
      expect(await returnsOfSaleElsewhere(link, Bun.randomUUIDv7(), { timeoutMs: 200 })).toBeNull();
      expect(performance.now() - started).toBeLessThan(1400);
      started = performance.now();
      expect(await returnsOfSaleElsewhere(link, Bun.randomUUIDv7())).toBeNull();
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(1400);
      expect(waited).toBeLessThan(5000);
    } finally {
      silent.stop(true);
    }
  }, 10_000);

  test("reads an answer that is not what the contract says as null, and never throws", async () => {
    const answering = (body: string, status = 200) => (() => Promise.resolve(new Response(body, { status }))) as unknown as typeof fetch;
    const id = Bun.randomUUIDv7();
    const cases: [string, typeof fetch][] = [
      ["not JSON", answering("<html>proxy error</html>")],
      ["nothing returned", answering(JSON.stringify({}))],
      ["a line that is no line number", answering(JSON.stringify({ returned: { qty_by_line: { first: 1000 }, refunded_by_method: {} } }))],
      ["a quantity as text", answering(JSON.stringify({ returned: { qty_by_line: { "1": "1.000" }, refunded_by_method: {} } }))],
      [
        "a refund method this store does not know",
        answering(JSON.stringify({ returned: { qty_by_line: { "1": 1000 }, refunded_by_method: { cheque: 100 } } })),
      ],
      ["head office's database away", answering(JSON.stringify({ error: { code: "hq_unavailable", message: "Try again." } }), 503)],
      ["a well-formed answer with a refusal's status", answering(JSON.stringify({ returned: { qty_by_line: {}, refunded_by_method: {} } }), 500)],
      [
        "a fetch that throws before it starts",
        (() => {
          throw new TypeError("boom");
        }) as unknown as typeof fetch,
      ],
      ["a fetch that rejects", (() => Promise.reject(new TypeError("reset"))) as unknown as typeof fetch],
    ];
    for (const [what, fake] of cases) {
      expect([what, await returnsOfSaleElsewhere(linkOf(market), id, { fetch: fake })]).toEqual([what, null]);
    }
    expect(await returnsOfSaleElsewhere({ ...linkOf(market), url: "not a url" }, id)).toBeNull();
    // and the well-formed answer is read, lines by number
    const ok = await returnsOfSaleElsewhere(linkOf(market), id, {
      fetch: answering(JSON.stringify({ returned: { qty_by_line: { "2": 500 }, refunded_by_method: { voucher: 120 } } })),
    });
    expect(ok).toEqual({ qtyByLine: { 2: 500 }, refundedByMethod: { voucher: 120 } });
  });

  test("are found by the index on hq_returns(sale_id), one probe a month", async () => {
    const plan = await db.sql.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      const rows = await tx.unsafe(
        `EXPLAIN SELECT store_id FROM hq_returns WHERE sale_id = '${Bun.randomUUIDv7()}'::uuid AND store_id <> '${market.storeId}'::uuid`,
      );
      return rows.map((r) => String(r["QUERY PLAN"])).join("\n");
    });
    // each month's partition's piece of hq_returns_of_sale (a partial index: sale_id is not null)
    expect(plan).toMatch(/Index Scan using hq_returns_\d{4}_\d{2}_sale_id_idx/);
    expect(plan).toContain("Index Cond: (sale_id = ");
    expect(plan).not.toContain("Seq Scan");
  });
});

test("the migration: receipts indexed, a return may have no sale, and names the store it came from", async () => {
  const columns = await db.sql<{ column_name: string; is_nullable: string; data_type: string }[]>`
    SELECT column_name, is_nullable, data_type FROM information_schema.columns
    WHERE table_name = 'hq_returns' AND column_name IN ('sale_id', 'receipt_number', 'origin_store_id') ORDER BY column_name`;
  expect([...columns]).toEqual([
    { column_name: "origin_store_id", is_nullable: "YES", data_type: "uuid" },
    { column_name: "receipt_number", is_nullable: "YES", data_type: "text" },
    { column_name: "sale_id", is_nullable: "YES", data_type: "uuid" },
  ]);
  // with sequential scans priced out, the lookup of a number reads the index of each month's partition
  const plan = await db.sql.begin(async (tx) => {
    await tx`SET LOCAL enable_seqscan = off`;
    const rows = await tx.unsafe("EXPLAIN SELECT sale_id FROM sales WHERE receipt_number = '001-000123'");
    return rows.map((r) => String(r["QUERY PLAN"])).join("\n");
  });
  expect(plan).not.toContain("Seq Scan");
  expect(plan).toContain("receipt_number");
});
