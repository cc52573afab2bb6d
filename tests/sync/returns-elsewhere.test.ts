// A customer brings a receipt of one store (A) to another (B), end to end: a real head office on PostgreSQL and two
// real store databases. B finds the receipt through head office, takes the return in one transaction (its own stock up,
// the return naming A's sale and A as the store it came from) and sends it up; what is still returnable counts the
// returns at every store, at A's own register too (head office tells A what B took back of its sale); head office
// away or B not connected is a refusal that writes nothing; head office's figures count the return at B, where the
// money went back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Shop } from "../../src/server/compose.ts";
import { type HeadOfficeLink, saveHeadOfficeLink } from "../../src/server/head-office/link.ts";
import { storeSummary } from "../../src/sync/hq/api/summary.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { reconcile } from "../../src/sync/hq/reconciliation/reconciliation.ts";
import { addStore, type RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { withHqDatabase } from "./support.ts";

const DAY = "2026-11-25";
const db = withHqDatabase();
let hq: ReturnType<typeof Bun.serve>;
let hqUrl = "";
let regA: RegisteredStore;
let regB: RegisteredStore;
let a: TestStore;
let b: TestStore;
let atA: SignedIn;
let atB: SignedIn;
let saleId = "";
let receipt = "";
let saleTotal = 0;

const serveHq = (port = 0) => Bun.serve({ hostname: "127.0.0.1", port, fetch: createHqApp(db.sql, "test").fetch });
const linkOf = (r: RegisteredStore): HeadOfficeLink => ({ url: hqUrl, storeId: r.storeId, token: r.token });

beforeAll(async () => {
  hq = serveHq();
  hqUrl = `http://127.0.0.1:${hq.port}`;
  regA = await addStore(db.sql, "Harbour Street");
  regB = await addStore(db.sql, "Market Square");
  a = makeTestStore();
  b = makeTestStore();
  saveHeadOfficeLink(a.store.db, linkOf(regA));
  saveHeadOfficeLink(b.store.db, linkOf(regB));
  atA = await signIn(a.store, 1);
  atB = await signIn(b.store, 1);
  // at A: two milk (1.19 each) and a bottle of wine (12.99), paid cash
  const sold = a.store.checkout.sell(atA.registerId, [{ barcode: codes.milk, qty: 2 }, { barcode: codes.wine }], [{ method: "cash", amount: 2000 }]);
  saleId = sold.sale.id;
  receipt = sold.sale.receipt_number!;
  saleTotal = sold.sale.total;
  await drain(a.store);
}, 60_000);

afterAll(() => {
  hq?.stop(true);
  a?.close();
  b?.close();
});

/** Tick the store's uploader until its outbox is all at head office. */
async function drain(store: Shop): Promise<void> {
  for (let i = 0; i < 50 && store.sync.status().pending > 0; i++) {
    await store.sync.tick();
    if (store.sync.status().pending > 0) await Bun.sleep(50);
  }
  expect(store.sync.status()).toMatchObject({ pending: 0, lastError: null });
}

const get = (t: TestStore, who: SignedIn, path: string) => t.app.request(path, { headers: { ...who.headers, "HX-Request": "true" } });
const form = (t: TestStore, who: SignedIn, path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(fields).toString(),
  });

/** The receipt as B's register finds it: status and page. */
async function lookUpAtB(query = `code=${receipt}`): Promise<{ status: number; html: string }> {
  const res = await get(b, atB, `/returns/sale?${query}`);
  return { status: res.status, html: await res.text() };
}

/** The hidden fields of the return-lines dialog: what the register posts back with the quantities. */
function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** Each line of the dialog: its item, how many were sold and how many can still come back. */
function linesOf(html: string): [string, string, string][] {
  return [...html.matchAll(/<tr data-testid="return-line">([\s\S]*?)<\/tr>/g)].map((m) => {
    const row = m[1]!;
    const name = /<td>\s*([^<]+?)\s*<span/.exec(row)![1]!;
    const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1]!.trim());
    return [name, cells[0]!, cells[1]!];
  });
}

const milkStock = (t: TestStore) => t.store.catalog.bySku("MILK-1L")!.stockMilli;
const count = (t: TestStore, table: string) => t.store.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;

/** B's return of A's milk: the dialog's hidden fields, `qty` milk, changed mind, refunded as `refund` says. */
async function returnMilkAtB(qty: string, refund = "cash"): Promise<{ status: number; text: string }> {
  const { status, html } = await lookUpAtB();
  expect(status).toBe(200);
  const res = await form(b, atB, "/returns", { ...hiddenFields(html), qty_1: qty, reason: "changed_mind", refund });
  return { status: res.status, text: await res.text() };
}

describe("a receipt of store A brought to store B", () => {
  test("B finds it through head office, takes one milk back, and the return reaches head office as B's, against A's sale", async () => {
    const { status, html } = await lookUpAtB();
    expect(status).toBe(200);
    expect(html).toContain('data-testid="return-lines"');
    expect(html).toMatch(/data-testid="return-origin">Sold at Harbour Street/);
    expect(linesOf(html)).toEqual([
      ["Fresh Milk 1 L", "2", "2"],
      ["Rioja Crianza 0.75 L", "1", "1"],
    ]);
    expect(hiddenFields(html)).toEqual({ sale_id: saleId, origin_store: regA.storeId, receipt });
    // B has no sale of that number of its own: nothing of A's sale is in B's database
    expect(b.store.db.query("SELECT id FROM sales WHERE id = ?").get(saleId)).toBeNull();

    const stockBefore = milkStock(b);
    const before = { returns: count(b, "returns"), outbox: count(b, "outbox") };
    const done = await returnMilkAtB("1", "cash");
    expect(done.status).toBe(200);
    expect(done.text).toContain("Fresh Milk 1 L");

    // one return row at B: no sale of B's, A's sale and A named
    const rows = b.store.db
      .query<{ id: string; sale_id: string | null; origin_store_id: string; origin_sale_id: string; total: number }, []>(
        "SELECT id, sale_id, origin_store_id, origin_sale_id, total FROM returns",
      )
      .all();
    expect(rows).toHaveLength(before.returns + 1);
    const ret = rows.at(-1)!;
    expect(ret).toMatchObject({ sale_id: null, origin_store_id: regA.storeId, origin_sale_id: saleId, total: 119 });
    const lines = b.store.db
      .query<{ sale_id: string; sale_line_no: number; qty_milli: number; refund: number }, [string]>(
        "SELECT sale_id, sale_line_no, qty_milli, refund FROM return_lines WHERE return_id = ?",
      )
      .all(ret.id);
    expect(lines).toEqual([{ sale_id: saleId, sale_line_no: 1, qty_milli: 1000, refund: 119 }]);
    const refunds = b.store.db.query<{ method: string; amount: number }, [string]>("SELECT method, amount FROM return_refunds WHERE return_id = ?").all(ret.id);
    expect(refunds.map((r) => r.method)).toEqual(["cash"]);
    // the milk is on B's shelf now
    expect(milkStock(b)).toBe(stockBefore + 1000);
    // and one item for head office
    expect(count(b, "outbox")).toBe(before.outbox + 1);
    const item = b.store.db.query<{ kind: string; ref: string; payload: string }, []>("SELECT kind, ref, payload FROM outbox ORDER BY seq DESC LIMIT 1").get()!;
    expect(item.kind).toBe("return");
    expect(item.ref).toBe(ret.id);
    expect(JSON.parse(item.payload)).toMatchObject({ sale_id: saleId, receipt_number: receipt, origin_store_id: regA.storeId, total: 119 });

    await drain(b.store);
    const [atHq, ...more] = await db.sql<{ store_id: string; sale_id: string; origin_store_id: string; receipt_number: string; total_minor: number }[]>`
      SELECT store_id::text, sale_id::text, origin_store_id::text, receipt_number, total_minor FROM hq_returns WHERE return_id = ${ret.id}::uuid`;
    expect(more).toEqual([]);
    expect(atHq).toEqual({ store_id: regB.storeId, sale_id: saleId, origin_store_id: regA.storeId, receipt_number: receipt, total_minor: 119 });
  });

  test("what can come back counts B's own return (before and after it is uploaded) and A's, once it is at head office", async () => {
    // B's return above is at head office now; head office leaves the asking store's own returns out and B counts them
    const again = await returnMilkAtB("2");
    expect(again.status).toBe(409);
    expect(again.text).toContain("Only 1 of Fresh Milk 1 L can still be returned (2 asked).");
    expect(linesOf((await lookUpAtB()).html)[0]).toEqual(["Fresh Milk 1 L", "2", "1"]);

    // a wine back at B, not yet uploaded: B's own database says so at once
    const wine = await form(b, atB, "/returns", { ...hiddenFields((await lookUpAtB()).html), qty_2: "1", reason: "changed_mind", refund: "cash" });
    expect(wine.status).toBe(200);
    expect(b.store.sync.status().pending).toBeGreaterThan(0);
    const seen = await lookUpAtB();
    expect(linesOf(seen.html)).toEqual([
      ["Fresh Milk 1 L", "2", "1"],
      ["Rioja Crianza 0.75 L", "1", "returned"],
    ]);
    const wineAgain = await form(b, atB, "/returns", { ...hiddenFields(seen.html), qty_2: "1", reason: "changed_mind", refund: "cash" });
    expect(wineAgain.status).toBe(409);
    expect(await wineAgain.text()).toContain("Rioja Crianza 0.75 L has already been returned in full.");
    await drain(b.store);
    expect(linesOf((await lookUpAtB()).html)[1]).toEqual(["Rioja Crianza 0.75 L", "1", "returned"]);

    // A takes the other milk back at its own register (its own sale) and uploads it: B sees none left
    const atHome = await form(a, atA, "/returns", { sale_id: saleId, qty_1: "1", reason: "changed_mind", refund: "original" });
    expect(atHome.status).toBe(200);
    await drain(a.store);
    const after = await lookUpAtB();
    expect(after.status).toBe(200);
    expect(linesOf(after.html)).toEqual([
      ["Fresh Milk 1 L", "2", "returned"],
      ["Rioja Crianza 0.75 L", "1", "returned"],
    ]);
    expect(after.html).toContain("Everything on this receipt has been returned already.");
    const before = footprint(b.store);
    const none = await form(b, atB, "/returns", { sale_id: saleId, origin_store: regA.storeId, receipt, qty_1: "1", reason: "changed_mind", refund: "cash" });
    expect(none.status).toBe(409);
    expect(await none.text()).toContain("Fresh Milk 1 L has already been returned in full.");
    expect(footprint(b.store)).toEqual(before);
  });

  test("A's own register counts what B took back of A's sale once it is at head office: the wine cannot be refunded twice", async () => {
    // B's return of the wine (and of one milk) is at head office, A's own return of the other milk in A's database
    expect(b.store.sync.status().pending).toBe(0);
    const lookUpAtA = async () => {
      const res = await get(a, atA, `/returns/sale?code=${receipt}`);
      return { status: res.status, html: await res.text() };
    };
    const seen = await lookUpAtA();
    expect(seen.status).toBe(200);
    expect(seen.html).not.toContain("return-origin"); // A's own sale, not another store's
    expect(linesOf(seen.html)).toEqual([
      ["Fresh Milk 1 L", "2", "returned"],
      ["Rioja Crianza 0.75 L", "1", "returned"],
    ]);
    expect(seen.html).toContain("Everything on this receipt has been returned already.");

    const before = footprint(a.store);
    const wine = await form(a, atA, "/returns", { sale_id: saleId, qty_2: "1", reason: "changed_mind", refund: "original" });
    expect(wine.status).toBe(409);
    expect(await wine.text()).toContain("Rioja Crianza 0.75 L has already been returned in full.");
    // nothing written at A: no return, no refund, no stock, nothing for head office, nothing audited or printed
    expect(footprint(a.store)).toEqual(before);
    expect(count(a, "returns")).toBe(1);

    // head office unable to say: A goes by its own returns only (the wine is returnable there as far as A knows)
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const closedPort = closed.port;
    closed.stop(true);
    saveHeadOfficeLink(a.store.db, { ...linkOf(regA), url: `http://127.0.0.1:${closedPort}` });
    try {
      const alone = await lookUpAtA();
      expect(alone.status).toBe(200);
      expect(linesOf(alone.html)).toEqual([
        ["Fresh Milk 1 L", "2", "1"],
        ["Rioja Crianza 0.75 L", "1", "1"],
      ]);
    } finally {
      saveHeadOfficeLink(a.store.db, linkOf(regA));
    }
    expect(linesOf((await lookUpAtA()).html)[1]).toEqual(["Rioja Crianza 0.75 L", "1", "returned"]);
  });

  test("with head office away (nothing listening, or its database down) B refuses with a code and writes nothing", async () => {
    const port = hq.port;
    const before = footprint(b.store);
    const refusedBoth = async (what: string) => {
      const res = await get(b, atB, `/returns/sale?code=${receipt}`);
      const html = await res.text();
      expect([what, res.status]).toEqual([what, 409]);
      expect(html).toContain('data-code="receipt_elsewhere_unreachable"');
      expect(html).toContain("take the goods back as a return without a receipt");
      expect(res.headers.get("HX-Retarget")).toBe("#message");
      // the dialog's form posted while head office is away: refused the same, nothing taken
      const post = await form(b, atB, "/returns", { sale_id: saleId, origin_store: regA.storeId, receipt, qty_1: "1", reason: "changed_mind", refund: "cash" });
      expect([what, post.status]).toEqual([what, 409]);
      expect(await post.text()).toContain('data-code="receipt_elsewhere_unreachable"');
      expect(footprint(b.store)).toEqual(before);
    };

    await hq.stop(true);
    try {
      await refusedBoth("head office stopped");
    } finally {
      hq = serveHq(port);
    }

    await db.pg.stop();
    try {
      await refusedBoth("head office's database stopped");
    } finally {
      await db.pg.start();
    }

    // B's link pointing at a closed port
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const closedPort = closed.port;
    closed.stop(true);
    saveHeadOfficeLink(b.store.db, { ...linkOf(regB), url: `http://127.0.0.1:${closedPort}` });
    try {
      await refusedBoth("a closed port");
    } finally {
      saveHeadOfficeLink(b.store.db, linkOf(regB));
    }
    // back: found again
    expect((await lookUpAtB()).status).toBe(200);
  }, 60_000);

  test("B not connected to head office: 404, the receipt is taken back as a return without a receipt", async () => {
    const before = footprint(b.store);
    saveHeadOfficeLink(b.store.db, { url: "", storeId: "", token: "" });
    try {
      const { status, html } = await lookUpAtB();
      expect(status).toBe(404);
      expect(html).toContain('data-code="sale_not_found"');
      expect(html).toContain(`No sale of this store has the receipt number ${receipt}`);
      expect(html).toContain("a receipt from another store is taken back as a return without a receipt");
      // a dialog left open from before is refused too, and nothing is taken
      const post = await form(b, atB, "/returns", { sale_id: saleId, origin_store: regA.storeId, receipt, qty_1: "1", reason: "changed_mind", refund: "cash" });
      expect(post.status).toBe(409);
      const said = await post.text();
      expect(said).toContain('data-code="receipt_elsewhere_unreachable"');
      expect(said).toContain("take the goods back as a return without a receipt");
      expect(footprint(b.store)).toEqual(before);
    } finally {
      saveHeadOfficeLink(b.store.db, linkOf(regB));
    }
  });

  test("the same receipt number at two other stores: B asks which, and each link opens that store's sale", async () => {
    const c = makeTestStore();
    try {
      const regC = await addStore(db.sql, "Station Road");
      saveHeadOfficeLink(c.store.db, linkOf(regC));
      const atC = await signIn(c.store, 1);
      const soldC = c.store.checkout.sell(atC.registerId, [{ barcode: codes.bread }], [{ method: "cash", amount: 500 }]);
      expect(soldC.sale.receipt_number).toBe(receipt); // the same lane's first sale at another store
      await drain(c.store);

      const { status, html } = await lookUpAtB();
      expect(status).toBe(200);
      expect(html).toContain('data-testid="return-choose-store"');
      expect(html).toContain("Harbour Street");
      expect(html).toContain("Station Road");
      for (const r of [regA, regC]) expect(html).toContain(`/returns/sale?code=${receipt}&amp;store=${r.storeId}`);

      const atStation = await lookUpAtB(`code=${receipt}&store=${regC.storeId}`);
      expect(atStation.status).toBe(200);
      expect(atStation.html).toMatch(/data-testid="return-origin">Sold at Station Road/);
      expect(linesOf(atStation.html)).toEqual([["Sourdough Bread 800 g", "1", "1"]]);
      expect(hiddenFields(atStation.html)).toEqual({ sale_id: soldC.sale.id, origin_store: regC.storeId, receipt });
      const atHarbour = await lookUpAtB(`code=${receipt}&store=${regA.storeId}`);
      expect(atHarbour.html).toMatch(/data-testid="return-origin">Sold at Harbour Street/);
      expect(hiddenFields(atHarbour.html).sale_id).toBe(saleId);

      // the bread back at B, as cash: it is C's sale that head office gets it against
      const res = await form(b, atB, "/returns", { ...hiddenFields(atStation.html), qty_1: "1", reason: "changed_mind", refund: "cash" });
      expect(res.status).toBe(200);
      const ret = b.store.db
        .query<{ origin_store_id: string; origin_sale_id: string }, []>(
          "SELECT origin_store_id, origin_sale_id FROM returns ORDER BY at DESC, rowid DESC LIMIT 1",
        )
        .get()!;
      expect(ret).toEqual({ origin_store_id: regC.storeId, origin_sale_id: soldC.sale.id });
      await drain(b.store);
    } finally {
      c.close();
    }
  });

  test("head office's figures count the return at B, where the money went back; each store's day totals reconcile", async () => {
    // B sells too, so that it reports its day (a day with sales); A's and B's day totals go up with their outboxes
    b.store.checkout.sell(b.registerId, [{ barcode: codes.paper }], [{ method: "cash", amount: 250 }]);
    expect(a.store.reportDayTotals()).toEqual([DAY]);
    expect(b.store.reportDayTotals()).toEqual([DAY]);
    await drain(a.store);
    await drain(b.store);

    const returnsOf = (t: TestStore) =>
      t.store.db.query<{ n: number; total: number }, []>("SELECT count(*) AS n, coalesce(sum(total), 0) AS total FROM returns").get()!;
    const salesOf = (t: TestStore) =>
      t.store.db.query<{ n: number; total: number }, []>("SELECT count(*) AS n, coalesce(sum(total), 0) AS total FROM sales WHERE status = 'completed'").get()!;
    // at A: its sale and its own return of one milk; at B: one milk, the wine and C's bread from A's and C's receipts
    expect(returnsOf(a)).toEqual({ n: 1, total: 119 });
    expect(returnsOf(b)).toEqual({ n: 3, total: 119 + 1299 + 349 });

    for (const [t, reg, name] of [
      [a, regA, "Harbour Street"],
      [b, regB, "Market Square"],
    ] as const) {
      const summary = (await storeSummary(db.sql, reg.storeId, { from: DAY, to: DAY }))!;
      const sold = salesOf(t);
      const back = returnsOf(t);
      expect([name, summary]).toMatchObject([
        name,
        { sales_count: sold.n, total_minor: sold.total, returns_count: back.n, refund_minor: back.total, net_minor: sold.total - back.total },
      ]);
      const [row, ...rest] = await reconcile(db.sql, { from: DAY, to: DAY, storeId: reg.storeId });
      expect(rest).toEqual([]);
      expect([name, row!.status, row!.differs]).toEqual([name, "match", []]);
      expect(row!.reported).toMatchObject({ sales_count: sold.n, total_minor: sold.total, returns_count: back.n, refund_minor: back.total });
      expect(row!.covered).toMatchObject({ sales_count: sold.n, total_minor: sold.total, returns_count: back.n, refund_minor: back.total });
    }
    expect(salesOf(a)).toEqual({ n: 1, total: saleTotal });
    // nothing of B's return of A's milk is counted at A: A's figure is its own return only
    const [fromA] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM hq_returns WHERE store_id = ${regA.storeId}::uuid`;
    expect(fromA!.n).toBe(1);
    const [crossed] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM hq_returns WHERE store_id = ${regB.storeId}::uuid AND origin_store_id = ${regA.storeId}::uuid AND sale_id = ${saleId}::uuid`;
    expect(crossed!.n).toBe(2);
  });
});
