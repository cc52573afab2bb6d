// The JSON API as an integration would use it, in-process against a real SQLite file.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { defaultEmbeddedPatterns, makeEmbedded } from "../../src/domain/kernel/barcode.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { codes, footprint, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const sell = (json: unknown, headers: Record<string, string> = {}) => t.api("/api/v1/sales", { method: "POST", json, headers });

describe("POST /api/v1/sales", () => {
  test("completes a sale: lines with names and prices, tax, totals, change, receipt number", async () => {
    const res = await sell({
      lines: [{ barcode: codes.milk, qty: 2 }, { sku: "WINE-RED", qty: 1 }, { barcode: codes.paper }],
      payments: [{ method: "cash", amount: 2000 }],
    });
    expect(res.status).toBe(201);
    const sale = await res.json();
    expect(sale.status).toBe("completed");
    expect(sale.receipt_number).toBe(`${String(t.registerId).padStart(3, "0")}-000001`);
    expect(sale.lines.map((l: { name: string; qty: number; unit_price: number; total: number }) => [l.name, l.qty, l.unit_price, l.total])).toEqual([
      ["Fresh Milk 1 L", 2, 119, 238],
      ["Rioja Crianza 0.75 L", 1, 1299, 1299],
      ["Daily Newspaper", 1, 250, 250],
    ]);
    expect(sale.total).toBe(1787);
    // Prices include tax: 10 % of 238 is 22 (238 * 10 / 110 = 21.6), 20 % of 1299 is 217 (216.5 rounds up), 0 % of 250 is 0.
    expect(sale.taxes).toEqual([
      { tax_class: "RED", rate_bp: 1000, net: 216, tax: 22 },
      { tax_class: "STD", rate_bp: 2000, net: 1082, tax: 217 },
      { tax_class: "ZERO", rate_bp: 0, net: 250, tax: 0 },
    ]);
    expect(sale.tax_total).toBe(239);
    expect(sale.paid).toBe(2000);
    expect(sale.change).toBe(213);
    expect(sale.payments).toEqual([{ method: "cash", amount: 2000 }]);
  });

  test("receipt numbers of a register run on without gaps, and stock goes down", async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await sell({ lines: [{ barcode: codes.bread }], payments: [{ method: "card", amount: 349, card: { brand: "VISA", last4: "4242" } }] });
      numbers.push((await res.json()).receipt_number);
    }
    expect(numbers.map((n) => Number(n.split("-")[1]))).toEqual([1, 2, 3, 4, 5]);
    const bread = t.store.catalog.bySku("BREAD-SOUR")!;
    expect(bread.stockMilli).toBe(15_000);
  });

  test("a sale is written whole: events, lines, payments, stock movement, outbox and journal", async () => {
    const movedBefore = footprint(t.store).stock_movements!; // the catalog's opening stock, one movement a product
    const res = await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 200 }] });
    const sale = await res.json();
    const f = footprint(t.store);
    expect(f).toMatchObject({ sales: 1, sale_lines: 1, sale_payments: 1, stock_movements: movedBefore + 1, outbox: 1, journal: 1 });
    const outbox = t.store.db.query<{ seq: number; ref: string; payload: string }, []>("SELECT seq, ref, payload FROM outbox").get()!;
    expect(outbox.seq).toBe(1);
    expect(outbox.ref).toBe(sale.id);
    expect(JSON.parse(outbox.payload).total).toBe(119);
  });

  test("card data beyond brand, last four, auth code and terminal reference is refused", async () => {
    const before = footprint(t.store);
    const res = await sell({
      lines: [{ barcode: codes.milk }],
      payments: [{ method: "card", amount: 119, card: { brand: "VISA", last4: "4242", number: "4242424242424242" } }],
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("card_data_refused");
    // a field that is not allowed at all, even without a card number in it, is refused too
    const extra = await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "card", amount: 119, card: { expiry: "12/29" } }] });
    expect(extra.status).toBe(400);
    expect((await extra.json()).error.code).toBe("invalid_request");
    expect(footprint(t.store)).toEqual(before);
  });

  test("card details that are allowed are kept on the payment", async () => {
    const res = await sell({
      lines: [{ barcode: codes.milk }],
      payments: [{ method: "card", amount: 119, card: { brand: "Mastercard", last4: "0005", auth_code: "A1B2C3", terminal_ref: "T-77" } }],
    });
    expect(res.status).toBe(201);
    expect((await res.json()).payments).toEqual([
      { method: "card", amount: 119, card_brand: "Mastercard", card_last4: "0005", auth_code: "A1B2C3", terminal_ref: "T-77" },
    ]);
  });

  test("price- and weight-embedded barcodes are found by their base code", async () => {
    const weightCode = makeEmbedded(codes.apples, 1250, defaultEmbeddedPatterns.find((p) => p.prefix === "23")!); // 1.250 kg
    const priceCode = makeEmbedded(codes.ham, 459, defaultEmbeddedPatterns.find((p) => p.prefix === "21")!); // 4.59
    const res = await sell({ lines: [{ barcode: weightCode }, { barcode: priceCode }], payments: [{ method: "cash", amount: 1000 }] });
    expect(res.status).toBe(201);
    const sale = await res.json();
    expect(sale.lines[0]).toMatchObject({ name: "Apples Braeburn (kg)", qty: 1.25, unit_price: 299, total: 374 });
    expect(sale.lines[1]).toMatchObject({ name: "Jamón Serrano pack", qty: 1, unit_price: 459, total: 459 });
    expect(sale.total).toBe(833);
  });

  test("a weighed item sold by SKU takes a decimal quantity in kg", async () => {
    const res = await sell({ lines: [{ sku: "APPLES-KG", qty: 0.5 }], payments: [{ method: "cash", amount: 150 }] });
    expect(res.status).toBe(201);
    expect((await res.json()).lines[0]).toMatchObject({ qty: 0.5, total: 150 });
  });

  test("Idempotency-Key: the same request twice gives the same sale, never a second one", async () => {
    const body = { lines: [{ barcode: codes.wine }], payments: [{ method: "cash", amount: 1300 }] };
    const first = await sell(body, { "Idempotency-Key": "order-1001" });
    const second = await sell(body, { "Idempotency-Key": "order-1001" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    const a = await first.json();
    const b = await second.json();
    expect(b.id).toBe(a.id);
    expect(b.receipt_number).toBe(a.receipt_number);
    expect(footprint(t.store).sales).toBe(1);
    expect(t.store.catalog.bySku("WINE-RED")!.stockMilli).toBe(4_000);
  });

  test("Idempotency-Key reused for a different sale is refused", async () => {
    await sell({ lines: [{ barcode: codes.wine }], payments: [{ method: "cash", amount: 1300 }] }, { "Idempotency-Key": "k1" });
    const res = await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 200 }] }, { "Idempotency-Key": "k1" });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("idempotency_key_reused");
    expect(footprint(t.store).sales).toBe(1);
  });

  test("the same key sent by many clients at once still makes one sale", async () => {
    const body = { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] };
    const replies = await Promise.all(Array.from({ length: 8 }, () => sell(body, { "Idempotency-Key": "burst" })));
    const ids = new Set(await Promise.all(replies.map(async (r) => (await r.json()).id)));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(ids.size).toBe(1);
    expect(footprint(t.store).sales).toBe(1);
  });
});

describe("bad input gets a 4xx with a code and writes nothing", () => {
  const good = { lines: [{ barcode: codes.milk, qty: 1 }], payments: [{ method: "cash", amount: 500 }] };
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["unknown barcode", () => sell({ ...good, lines: [{ barcode: "4006381333931" }] }), 422, "unknown_barcode"],
    ["unknown sku", () => sell({ ...good, lines: [{ sku: "NOPE" }] }), 422, "unknown_sku"],
    ["zero quantity", () => sell({ ...good, lines: [{ barcode: codes.milk, qty: 0 }] }), 422, "invalid_quantity"],
    ["negative quantity", () => sell({ ...good, lines: [{ barcode: codes.milk, qty: -2 }] }), 422, "invalid_quantity"],
    ["fractional quantity of a unit item", () => sell({ ...good, lines: [{ barcode: codes.milk, qty: 1.5 }] }), 422, "fractional_quantity"],
    ["underpayment", () => sell({ ...good, payments: [{ method: "cash", amount: 100 }] }), 422, "underpaid"],
    ["unknown payment method", () => sell({ ...good, payments: [{ method: "bitcoin", amount: 500 }] }), 422, "unknown_payment_method"],
    ["card paying more than due", () => sell({ ...good, payments: [{ method: "card", amount: 500 }] }), 422, "payment_exceeds_due"],
    ["amount as a float", () => sell({ ...good, payments: [{ method: "cash", amount: 1.19 }] }), 400, "invalid_request"],
    ["qty as a string", () => sell({ ...good, lines: [{ barcode: codes.milk, qty: "1" }] }), 400, "invalid_request"],
    ["no lines", () => sell({ lines: [], payments: good.payments }), 400, "invalid_request"],
    ["unexpected field", () => sell({ ...good, customer: "x" }), 400, "invalid_request"],
    ["a line with no product", () => sell({ ...good, lines: [{ qty: 1 }] }), 422, "line_needs_product"],
    [
      "malformed JSON",
      () => t.api("/api/v1/sales", { method: "POST", body: '{"lines": [', headers: { "Content-Type": "application/json" } }),
      400,
      "malformed_json",
    ],
    [
      "JSON that is not an object",
      () => t.api("/api/v1/sales", { method: "POST", body: "[1,2]", headers: { "Content-Type": "application/json" } }),
      400,
      "invalid_request",
    ],
    [
      "form body instead of JSON",
      () => t.api("/api/v1/sales", { method: "POST", body: "lines=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    ],
    ["no token", () => t.api("/api/v1/sales", { method: "POST", json: good, headers: { Authorization: "" } }), 401, "token_required"],
    ["wrong token", () => t.api("/api/v1/sales", { method: "POST", json: good, headers: { Authorization: "Bearer sf_wrong" } }), 401, "token_invalid"],
    [
      "a body over 1 MB",
      () =>
        t.api("/api/v1/sales", {
          method: "POST",
          body: JSON.stringify({ ...good, pad: "x".repeat(1_100_000) }),
          headers: { "Content-Type": "application/json" },
        }),
      413,
      "body_too_large",
    ],
  ];
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const before = footprint(t.store);
      const res = await send();
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe("string");
      expect(body.error.message.length).toBeGreaterThan(10);
      expect(footprint(t.store)).toEqual(before);
    });
  }

  test("one bad line among good ones writes nothing at all", async () => {
    const before = footprint(t.store);
    const res = await sell({
      lines: [{ barcode: codes.milk }, { barcode: codes.bread }, { barcode: "0000000000000" }],
      payments: [{ method: "cash", amount: 1000 }],
    });
    expect(res.status).toBe(422);
    expect(footprint(t.store)).toEqual(before);
    // and the receipt number was not used up
    const ok = await (await sell(good)).json();
    expect(ok.receipt_number.endsWith("-000001")).toBe(true);
  });
});

describe("negative stock policy", () => {
  test("block: selling more than is in stock is a 409 naming the product", async () => {
    writeSetting(t.store.db, "negative_stock", "block");
    t.store.reloadSettings();
    const before = footprint(t.store);
    const res = await sell({ lines: [{ sku: "WINE-RED", qty: 6 }], payments: [{ method: "cash", amount: 10000 }] });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe("insufficient_stock");
    expect(body.error.message).toContain("Rioja Crianza");
    expect(footprint(t.store)).toEqual(before);
  });

  test("warn (the default): the sale goes through with a warning, stock below zero", async () => {
    const res = await sell({ lines: [{ sku: "WINE-RED", qty: 6 }], payments: [{ method: "cash", amount: 10000 }] });
    expect(res.status).toBe(201);
    expect((await res.json()).warnings[0].code).toBe("negative_stock");
    expect(t.store.catalog.bySku("WINE-RED")!.stockMilli).toBe(-1000);
  });

  test("allow: no warning", async () => {
    writeSetting(t.store.db, "negative_stock", "allow");
    t.store.reloadSettings();
    const res = await sell({ lines: [{ sku: "WINE-RED", qty: 6 }], payments: [{ method: "cash", amount: 10000 }] });
    expect((await res.json()).warnings).toEqual([]);
  });
});

describe("reading sales back", () => {
  test("GET /api/v1/sales/:id returns the sale as it was created; an unknown id is a 404", async () => {
    const created = await (await sell({ lines: [{ barcode: codes.bread }], payments: [{ method: "cash", amount: 500 }] })).json();
    const res = await t.api(`/api/v1/sales/${created.id}`);
    expect(res.status).toBe(200);
    const { warnings: _w, ...expected } = created;
    expect(await res.json()).toEqual(expected);
    const missing = await t.api("/api/v1/sales/does-not-exist");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("sale_not_found");
  });

  test("GET /api/v1/sales pages through a period with a cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] });
      t.clock.advance(60_000);
    }
    t.clock.advance(86_400_000);
    await sell({ lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 119 }] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.api(`/api/v1/sales?from=2026-11-25&to=2026-11-25&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = await res.json();
      seen.push(...page.data.map((s: { receipt_number: string }) => s.receipt_number));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((n) => Number(n.split("-")[1]))).toEqual([1, 2, 3, 4, 5]);
    const bad = await t.api("/api/v1/sales?from=yesterday");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_period");
    // a day that is not in the calendar is refused, not read as the 2nd of March
    for (const q of ["from=2026-02-30", "to=2026-02-29", "from=2026-11-25T25:00:00Z", "from=2026-04-31&to=2026-05-01"]) {
      const res = await t.api(`/api/v1/summary?${q}`);
      expect({ q, status: res.status, code: (await res.json()).error?.code }).toEqual({ q, status: 400, code: "invalid_period" });
    }
    const badCursor = await t.api("/api/v1/sales?cursor=!!!");
    expect((await badCursor.json()).error.code).toBe("invalid_cursor");
  });

  test("GET /api/v1/summary: today's count, total, tax and takings by method", async () => {
    await sell({ lines: [{ barcode: codes.wine }], payments: [{ method: "cash", amount: 2000 }] }); // change 701
    await sell({ lines: [{ barcode: codes.milk }, { barcode: codes.bread }], payments: [{ method: "card", amount: 468 }] });
    const res = await t.api("/api/v1/summary");
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s).toMatchObject({ sales_count: 2, total_minor: 1767, tax_minor: 217 + 11 + 32, by_method: { cash: 1299, card: 468 } });
    const tomorrow = await (await t.api("/api/v1/summary?from=2026-11-26&to=2026-11-26")).json();
    expect(tomorrow).toMatchObject({ sales_count: 0, total_minor: 0, by_method: {} });
  });
});

describe("products", () => {
  test("search by name, sku or barcode; lookup by barcode; by id", async () => {
    const byName = await (await t.api("/api/v1/products?q=sour")).json();
    expect(byName.data.map((p: { sku: string }) => p.sku)).toEqual(["BREAD-SOUR"]);
    const accent = await (await t.api("/api/v1/products?q=jamon")).json();
    expect(accent.data.map((p: { name: string }) => p.name)).toEqual(["Jamón Serrano pack"]);
    const bySku = await (await t.api("/api/v1/products?q=WINE")).json();
    expect(bySku.data[0].name).toBe("Rioja Crianza 0.75 L");
    const scan = await (await t.api(`/api/v1/products?barcode=${codes.milk}`)).json();
    expect(scan.data).toHaveLength(1);
    expect(scan.data[0]).toMatchObject({ sku: "MILK-1L", price: 119, tax_class: "RED", tax_rate_bp: 1000, stock: 50, weighed: false });
    const none = await (await t.api("/api/v1/products?barcode=123")).json();
    expect(none.data).toEqual([]);
    const one = await t.api(`/api/v1/products/${scan.data[0].id}`);
    expect((await one.json()).sku).toBe("MILK-1L");
    expect((await t.api("/api/v1/products/999999")).status).toBe(404);
    expect((await t.api("/api/v1/products/abc")).status).toBe(404);
  });

  test("listing pages with a cursor until the end", async () => {
    const skus: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { sku: string }[]; next_cursor: string | null } = await (
        await t.api(`/api/v1/products?limit=4${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      skus.push(...page.data.map((p) => p.sku));
      cursor = page.next_cursor;
    } while (cursor);
    expect(skus).toHaveLength(6);
    expect(new Set(skus).size).toBe(6);
  });

  test("search input that FTS5 would choke on is just text", async () => {
    for (const q of ['"', "AND OR NOT", "*", 'milk"*)(', "NEAR(a b)", "💥", "%00"]) {
      const res = await t.api(`/api/v1/products?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
    }
  });
});

test("GET /healthz needs no token and says the version and that the database is ok", async () => {
  const res = await t.app.request("/healthz");
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: "ok", version: expect.any(String) });
});
