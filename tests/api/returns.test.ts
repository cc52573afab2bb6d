// Returns through the JSON API, as an integration would send them, in-process against a real SQLite file: exact
// refunds, partial returns, idempotency, refusals that write nothing, reading returns back, and kiosk printing of sales.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VIRTUAL_PRINTER } from "../../src/hardware/printers/registry.ts";
import { createToken } from "../../src/server/api/tokens.ts";
import { createApp } from "../../src/server/app.ts";
import { openShop } from "../../src/server/compose.ts";
import { codes, footprint, makeTestStore, seedSmallCatalog, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const sell = async (json: unknown) => {
  const res = await t.api("/api/v1/sales", { method: "POST", json });
  expect(res.status).toBe(201);
  return res.json();
};
const giveBack = (json: unknown, headers: Record<string, string> = {}) => t.api("/api/v1/returns", { method: "POST", json, headers });

/** Every table a return writes to, besides the sale's: "nothing written" means none of these moved. */
function returnsFootprint(): Record<string, number> {
  const count = (table: string) => t.store.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
  return {
    ...footprint(t.store),
    returns: count("returns"),
    return_lines: count("return_lines"),
    return_refunds: count("return_refunds"),
    print_jobs: count("print_jobs"),
    audit_log: count("audit_log"),
  };
}

/** Three milks (119 each) and a wine (1299) paid by card: 1656. */
const cardSale = () =>
  sell({ lines: [{ barcode: codes.milk, qty: 3 }, { sku: "WINE-RED" }], payments: [{ method: "card", amount: 1656, card: { brand: "VISA", last4: "4242" } }] });

describe("POST /api/v1/returns", () => {
  test("a return refunds what was paid for the goods, to the original card, and writes it whole", async () => {
    const sale = await cardSale();
    const stockBefore = t.store.catalog.bySku("MILK-1L")!.stockMilli;
    const res = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
    expect(res.status).toBe(201);
    const r = await res.json();
    expect(r).toMatchObject({
      sale_id: sale.id,
      receipt_number: sale.receipt_number,
      return_number: `R${String(t.registerId).padStart(3, "0")}-000001`,
      register_id: t.registerId,
      reason_code: "changed_mind",
      reason: "Changed mind",
      total: 119,
      rounding: 0,
      refunds: [{ method: "card", amount: 119 }],
      business_date: "2026-11-25",
    });
    expect(r.lines).toEqual([expect.objectContaining({ line_no: 1, qty: 1, sku: "MILK-1L", refund: 119, tax: 11, restock: true })]);
    expect(t.store.catalog.bySku("MILK-1L")!.stockMilli).toBe(stockBefore + 1000);
    const outbox = t.store.db.query<{ kind: string; ref: string }, []>("SELECT kind, ref FROM outbox ORDER BY seq DESC LIMIT 1").get()!;
    expect(outbox).toEqual({ kind: "return", ref: r.id });
    // the audit log names the token and its register, as no person did it
    const audit = t.store.audit.find({ action: "return.completed" });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user: "API token Webshop", register: "Webshop", subject: r.id, approvedBy: null });
  });

  test("a sale returned in pieces refunds exactly its total: a second partial return of a weighed line", async () => {
    // 1.25 kg of apples at 2.99/kg is 3.7375, paid 3.74
    const sale = await sell({ lines: [{ sku: "APPLES-KG", qty: 1.25 }], payments: [{ method: "cash", amount: 374 }] });
    expect(sale.total).toBe(374);
    const first = await (await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 0.5 }], reason: "changed_mind" })).json();
    expect(first).toMatchObject({ total: 150, refunds: [{ method: "cash", amount: 150 }] }); // 374 * 0.5 / 1.25 = 149.6
    const second = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 0.75 }], reason: "changed_mind" });
    expect(second.status).toBe(201);
    const r2 = await second.json();
    expect(r2).toMatchObject({ total: 224, refunds: [{ method: "cash", amount: 224 }] });
    expect(first.total + r2.total).toBe(sale.total);
    expect(r2.return_number.endsWith("-000002")).toBe(true);
    const third = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 0.001 }], reason: "changed_mind" });
    expect(third.status).toBe(409);
    expect((await third.json()).error).toMatchObject({ code: "return_exceeds_sold", message: expect.stringContaining("already been returned in full") });
  });

  test("asking back more than is left is a 409 naming what is left, and writes nothing", async () => {
    const sale = await cardSale();
    expect((await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 2 }], reason: "changed_mind" })).status).toBe(201);
    const before = returnsFootprint();
    const res = await giveBack({
      sale_id: sale.id,
      lines: [
        { line_no: 2, qty: 1 },
        { line_no: 1, qty: 2 },
      ],
      reason: "changed_mind",
    });
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error.code).toBe("return_exceeds_sold");
    expect(error.message).toBe("Only 1 of Fresh Milk 1 L can still be returned (2 asked).");
    expect(error.details).toEqual({ line: 1, returnable: 1 });
    expect(returnsFootprint()).toEqual(before);
  });

  test("the sale can be named by its receipt number, as its receipt's barcode reads", async () => {
    const sale = await cardSale();
    const res = await giveBack({ receipt_code: sale.receipt_number, lines: [{ line_no: 2, qty: 1 }], reason: "damaged" });
    expect(res.status).toBe(201);
    const r = await res.json();
    expect(r).toMatchObject({ sale_id: sale.id, total: 1299, lines: [expect.objectContaining({ restock: false })] });
    // damaged goods are written off: the wine is not back on the shelf
    expect(t.store.catalog.bySku("WINE-RED")!.stockMilli).toBe(4000);
  });

  test("refunds may be split as the client says, card details kept to what a terminal tells", async () => {
    const sale = await sell({
      lines: [{ sku: "WINE-RED" }],
      payments: [
        { method: "card", amount: 1000 },
        { method: "cash", amount: 299 },
      ],
    });
    const res = await giveBack({
      sale_id: sale.id,
      lines: [{ line_no: 1, qty: 1 }],
      reason: "wrong_size",
      refunds: [
        { method: "card", amount: 1000, card: { brand: "VISA", last4: "4242", auth_code: "R-123", terminal_ref: "T-9" } },
        { method: "cash", amount: 299 },
      ],
    });
    expect(res.status).toBe(201);
    expect((await res.json()).refunds).toEqual([
      { method: "card", amount: 1000, auth_code: "R-123", card_brand: "VISA", card_last4: "4242", terminal_ref: "T-9" },
      { method: "cash", amount: 299 },
    ]);
  });

  test("more back to the card than the card paid is refused", async () => {
    const sale = await sell({
      lines: [{ sku: "WINE-RED" }],
      payments: [
        { method: "card", amount: 1000 },
        { method: "cash", amount: 299 },
      ],
    });
    const before = returnsFootprint();
    const res = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind", refunds: [{ method: "card", amount: 1299 }] });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: "refund_over_tender", details: { card: 1299, room: 1000 } });
    expect(returnsFootprint()).toEqual(before);
  });

  test("cash back for what a card paid needs a token with the admin scope", async () => {
    const sale = await cardSale();
    const body = { sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind", refunds: [{ method: "cash", amount: 119 }] };
    const before = returnsFootprint();
    const refused = await giveBack(body);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("approval_needed");
    expect(returnsFootprint()).toEqual(before);
    const { token } = createToken(t.store.db, "Back office", t.clock.now().toISOString(), ["read", "sell", "admin"]);
    const allowed = await giveBack(body, { Authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(201);
    expect((await allowed.json()).refunds).toEqual([{ method: "cash", amount: 119 }]);
  });

  test("a token that may only read cannot return", async () => {
    const sale = await cardSale();
    const { token } = createToken(t.store.db, "Reports", t.clock.now().toISOString(), ["read"]);
    const res = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" }, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("scope_missing");
  });
});

describe("Idempotency-Key on returns", () => {
  test("the same request twice gives the same return, never a second one", async () => {
    const sale = await cardSale();
    const body = { sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" };
    const first = await giveBack(body, { "Idempotency-Key": "rma-1" });
    const afterFirst = returnsFootprint();
    const second = await giveBack(body, { "Idempotency-Key": "rma-1" });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await second.json()).toEqual(await first.json());
    expect(returnsFootprint()).toEqual(afterFirst);
    expect(afterFirst.returns).toBe(1);
  });

  test("a key used for another request is refused, and nothing is written", async () => {
    const sale = await cardSale();
    await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" }, { "Idempotency-Key": "rma-2" });
    const before = returnsFootprint();
    const other = await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 2 }], reason: "changed_mind" }, { "Idempotency-Key": "rma-2" });
    expect(other.status).toBe(422);
    const { error } = await other.json();
    expect(error.code).toBe("idempotency_key_reused");
    expect(error.message).toContain("new key for a new return");
    // a key that made a sale does not make a return, nor the other way round
    const saleKey = await t.api("/api/v1/sales", {
      method: "POST",
      json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] },
      headers: { "Idempotency-Key": "rma-2" },
    });
    expect(saleKey.status).toBe(422);
    expect((await saleKey.json()).error.code).toBe("idempotency_key_reused");
    expect(returnsFootprint()).toEqual(before);
  });
});

describe("bad input gets a 4xx with a code and a sentence and writes nothing", () => {
  let saleId = "";
  const good = () => ({ sale_id: saleId, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
  beforeEach(async () => {
    saleId = (await cardSale()).id;
  });
  const cases: [string, () => unknown, number, string][] = [
    ["unknown sale", () => ({ ...good(), sale_id: "no-such-sale" }), 404, "sale_not_found"],
    ["unknown receipt number", () => ({ receipt_code: "001-999999", lines: good().lines, reason: "changed_mind" }), 404, "sale_not_found"],
    ["a receipt code that is no receipt number", () => ({ receipt_code: "hello", lines: good().lines, reason: "changed_mind" }), 422, "invalid_input"],
    ["both sale_id and receipt_code", () => ({ ...good(), receipt_code: "001-000001" }), 400, "invalid_request"],
    ["neither sale_id nor receipt_code", () => ({ lines: good().lines, reason: "changed_mind" }), 400, "invalid_request"],
    ["a line the sale does not have", () => ({ ...good(), lines: [{ line_no: 9, qty: 1 }] }), 404, "line_not_found"],
    ["line number 0", () => ({ ...good(), lines: [{ line_no: 0, qty: 1 }] }), 400, "invalid_request"],
    ["quantity 0", () => ({ ...good(), lines: [{ line_no: 1, qty: 0 }] }), 422, "invalid_quantity"],
    ["negative quantity", () => ({ ...good(), lines: [{ line_no: 1, qty: -1 }] }), 422, "invalid_quantity"],
    ["half a bottle of milk", () => ({ ...good(), lines: [{ line_no: 1, qty: 0.5 }] }), 422, "invalid_quantity"],
    ["more than three decimals", () => ({ ...good(), lines: [{ line_no: 1, qty: 1.0001 }] }), 422, "fractional_quantity"],
    ["no lines", () => ({ ...good(), lines: [] }), 400, "invalid_request"],
    ["refunds not adding up", () => ({ ...good(), refunds: [{ method: "card", amount: 100 }] }), 422, "refund_mismatch"],
    ["more back than the goods came to", () => ({ ...good(), refunds: [{ method: "card", amount: 200 }] }), 422, "refund_mismatch"],
    [
      "a refund of nothing",
      () => ({
        ...good(),
        refunds: [
          { method: "card", amount: 0 },
          { method: "card", amount: 119 },
        ],
      }),
      422,
      "invalid_amount",
    ],
    [
      "a negative refund",
      () => ({
        ...good(),
        refunds: [
          { method: "card", amount: -1 },
          { method: "card", amount: 120 },
        ],
      }),
      422,
      "invalid_amount",
    ],
    ["an amount as a float", () => ({ ...good(), refunds: [{ method: "card", amount: 1.19 }] }), 400, "invalid_request"],
    ["an unknown refund method", () => ({ ...good(), refunds: [{ method: "bitcoin", amount: 119 }] }), 422, "unknown_payment_method"],
    ["card details with cash", () => ({ ...good(), refunds: [{ method: "cash", amount: 119, card: { last4: "4242" } }] }), 422, "invalid_input"],
    [
      "a card number in a card field",
      () => ({ ...good(), refunds: [{ method: "card", amount: 119, card: { brand: "VISA", auth_code: "4242 4242 4242 4242" } }] }),
      422,
      "card_data_refused",
    ],
    [
      "a card number as a field of its own",
      () => ({ ...good(), refunds: [{ method: "card", amount: 119, card: { number: "4111111111111111" } }] }),
      422,
      "card_data_refused",
    ],
    ["a card field that is not allowed", () => ({ ...good(), refunds: [{ method: "card", amount: 119, card: { expiry: "12/29" } }] }), 400, "invalid_request"],
    ["last4 that is not four digits", () => ({ ...good(), refunds: [{ method: "card", amount: 119, card: { last4: "42" } }] }), 400, "invalid_request"],
    ["a card number as the sale id", () => ({ ...good(), sale_id: "4111 1111 1111 1111" }), 422, "card_data_refused"],
    ["an unknown reason", () => ({ ...good(), reason: "bored" }), 422, "invalid_input"],
    ["no reason", () => ({ sale_id: saleId, lines: good().lines }), 400, "invalid_request"],
    ["an unexpected field", () => ({ ...good(), customer: "x" }), 400, "invalid_request"],
  ];
  for (const [i, [name, body, status, code]] of cases.entries()) {
    test(name, async () => {
      const before = returnsFootprint();
      const res = await giveBack(body(), { "Idempotency-Key": `bad-${i}` });
      expect(res.status).toBe(status);
      const { error } = await res.json();
      expect(error.code).toBe(code);
      expect(typeof error.message).toBe("string");
      expect(error.message.length).toBeGreaterThan(10);
      expect(returnsFootprint()).toEqual(before);
    });
  }

  test("an unknown reason is answered with the shop's reasons", async () => {
    const { error } = await (await giveBack({ ...good(), reason: "bored" })).json();
    expect(error.message).toContain("changed_mind");
    expect(error.details.reasons).toContain("damaged");
  });
});

test("a sale whose id happens to pass a card number's check can still be returned by its id", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-test-"));
  let n = 0;
  let cardLikeNext = false;
  // the first id a sale takes is the sale's own
  const next = () => {
    if (!cardLikeNext) return `id-${++n}`;
    cardLikeNext = false;
    return "4111-1111-1111-1111";
  };
  const store = openShop({ dataDir: dir, ids: { next } });
  try {
    seedSmallCatalog(store);
    const { token } = createToken(store.db, "Kiosk", store.clock.now().toISOString());
    const app = createApp(store);
    const post = (path: string, json: unknown) =>
      app.request(path, { method: "POST", body: JSON.stringify(json), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
    cardLikeNext = true;
    const sale = await (await post("/api/v1/sales", { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] })).json();
    expect(sale.id).toBe("4111-1111-1111-1111");
    const res = await post("/api/v1/returns", { sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
    expect(res.status).toBe(201);
    // anywhere else in the body it is still a card number
    const elsewhere = await post("/api/v1/returns", { sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "4111-1111-1111-1111" });
    expect((await elsewhere.json()).error.code).toBe("card_data_refused");
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("reading returns back", () => {
  test("GET /api/v1/returns/:id is the return as it was made; an unknown id is a 404", async () => {
    const sale = await cardSale();
    const made = await (await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" })).json();
    const res = await t.api(`/api/v1/returns/${made.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(made);
    const missing = await t.api("/api/v1/returns/nope");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });

  test("GET /api/v1/returns pages through a period with a cursor, periods read as for sales", async () => {
    const sale = await sell({ lines: [{ barcode: codes.milk, qty: 5 }], payments: [{ method: "cash", amount: 595 }] });
    for (let i = 0; i < 3; i++) {
      await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
      t.clock.advance(60_000);
    }
    t.clock.advance(86_400_000);
    await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.api(`/api/v1/returns?from=2026-11-25&to=2026-11-25&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = await res.json();
      seen.push(...page.data.map((r: { return_number: string }) => r.return_number));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((n) => Number(n.split("-")[1]))).toEqual([1, 2, 3]);
    const nextDay = await (await t.api("/api/v1/returns?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z")).json();
    expect(nextDay.data.map((r: { return_number: string }) => Number(r.return_number.split("-")[1]))).toEqual([4]);
    const all = await (await t.api("/api/v1/returns")).json();
    expect(all.data).toHaveLength(4);
    const bad = await t.api("/api/v1/returns?from=yesterday");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_period");
    const mixed = await t.api("/api/v1/returns?from=2026-11-25&to=2026-11-26T00:00:00Z");
    expect((await mixed.json()).error.code).toBe("invalid_period");
    expect((await (await t.api("/api/v1/returns?cursor=!!!")).json()).error.code).toBe("invalid_cursor");
  });

  test("GET /api/v1/sales/:id shows per line what came back, and the sale's returns", async () => {
    const sale = await cardSale();
    expect(sale.lines.map((l: { returned_qty: number }) => l.returned_qty)).toEqual([0, 0]);
    expect(sale.returns).toEqual([]);
    const a = await (await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 2 }], reason: "changed_mind" })).json();
    const b = await (
      await giveBack({
        sale_id: sale.id,
        lines: [
          { line_no: 1, qty: 1 },
          { line_no: 2, qty: 1 },
        ],
        reason: "changed_mind",
      })
    ).json();
    const res = await t.api(`/api/v1/sales/${sale.id}`);
    const after = await res.json();
    expect(after.lines.map((l: { qty: number; returned_qty: number }) => [l.qty, l.returned_qty])).toEqual([
      [3, 3],
      [1, 1],
    ]);
    expect(after.returns).toEqual([
      { id: a.id, return_number: a.return_number, at: a.at, total: 238 },
      { id: b.id, return_number: b.return_number, at: b.at, total: 119 + 1299 },
    ]);
    // the listing shows the same
    const listed = await (await t.api("/api/v1/sales?from=2026-11-25&to=2026-11-25")).json();
    expect(listed.data[0]).toEqual(after);
  });
});

describe("an API sale prints its receipt when asked", () => {
  const saleJobs = () =>
    t.store.db
      .query<{ printer_id: number; kind: string; sale_id: string; payload: string }, []>(
        "SELECT printer_id, kind, sale_id, payload FROM print_jobs WHERE sale_id IS NOT NULL",
      )
      .all();

  test('"print": true queues the receipt on the printer of the token\'s register, once; by default nothing prints', async () => {
    const kiosk = t.store.printing.printers.add({ ...VIRTUAL_PRINTER, name: "Kiosk printer", registers: [t.registerId] }, t.clock.now().toISOString());
    const quiet = await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] });
    expect(quiet.warnings).toEqual([]);
    expect(saleJobs()).toEqual([]);
    const body = { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 200 }], print: true };
    const printed = await t.api("/api/v1/sales", { method: "POST", json: body, headers: { "Idempotency-Key": "kiosk-1" } });
    expect(printed.status).toBe(201);
    const sale = await printed.json();
    expect(sale.warnings).toEqual([]);
    const jobs = saleJobs();
    expect(jobs.map((j) => [j.printer_id, j.kind, j.sale_id])).toEqual([[kiosk.id, "receipt", sale.id]]);
    expect(JSON.parse(jobs[0]!.payload).doc.receiptNumber).toBe(sale.receipt_number);
    // a retry does not print it again
    const replay = await t.api("/api/v1/sales", { method: "POST", json: body, headers: { "Idempotency-Key": "kiosk-1" } });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(saleJobs()).toHaveLength(1);
  });

  test("without a printer for the register the sale goes through with a warning", async () => {
    t.store.db.exec("UPDATE printers SET is_default = 0");
    const sale = await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }], print: true });
    expect(sale.warnings.map((w: { code: string }) => w.code)).toEqual(["no_printer"]);
    expect(saleJobs()).toEqual([]);
  });
});

describe("the return's receipt from the API", () => {
  test("prints on the token's register only when asked (a kiosk), never by default", async () => {
    const jobs = () => t.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM print_jobs WHERE return_id IS NOT NULL").get()!.n;
    t.store.printing.printers.add({ ...VIRTUAL_PRINTER, name: "Kiosk printer", isDefault: true }, t.clock.now().toISOString());
    const sale = await cardSale();
    expect((await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind" })).status).toBe(201);
    expect(jobs()).toBe(0);
    expect((await giveBack({ sale_id: sale.id, lines: [{ line_no: 1, qty: 1 }], reason: "changed_mind", print: true })).status).toBe(201);
    expect(jobs()).toBe(1);
  });
});
