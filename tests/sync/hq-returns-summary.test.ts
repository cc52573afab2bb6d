// Head office's figures with returns: per store and business day, gross sales, what returns refunded and net (gross
// less refunds), the same in the per-store summary, the store list, the by-day table, the dashboard and the JSON API;
// and the reconciliation page and API comparing the store's refund figures with head office's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { formatMoney } from "../../src/domain/kernel/money.ts";
import type { ReturnPayload } from "../../src/sync/contracts.ts";
import { type HqSummary, salesByDayAndStore, storeSummary } from "../../src/sync/hq/api/summary.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type Hq, signedIn, startHq } from "./hq-support.ts";
import { batch, type Doc, item, returnDoc, saleDoc, sha256 } from "./support.ts";

const DAY = "2026-11-25";
const NEXT = "2026-11-26";
const LATER = "2026-11-27";

let hq: Hq;
let secret: string;
let seller: { id: string; sales: Doc[]; returns: ReturnPayload[] };
let quiet: { id: string; sales: Doc[] };

const sum = <T>(list: T[], f: (x: T) => number) => list.reduce((s, x) => s + f(x), 0);
const on = <T extends { business_date?: string; completed_at?: string | null }>(list: T[], day: string) =>
  list.filter((x) => (x.business_date ?? x.completed_at!.slice(0, 10)) === day);

async function send(storeId: string, list: BatchItem[]) {
  const r = await receiveBatch(hq.sql, storeId, batch(storeId, "E1", list));
  expect(r.status).toBe(200);
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies of many shapes
async function api(path: string): Promise<{ status: number; body: any }> {
  const res = await hq.app.request(`http://hq.test${path}`, { headers: { Authorization: `Bearer ${secret}`, Host: "hq.test" } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  hq = await startHq();
  hq.clock.current = new Date(`${DAY}T12:00:00.000Z`); // the dashboard's "today"
  secret = (await createApiToken(hq.sql, "Returns", "test")).secret;

  // A store selling on two days and giving back on three: cash with rounding, card, a damaged item, a day of returns only.
  const id = (await addStore(hq.sql, "Seller")).storeId;
  const sales = [saleDoc(1), saleDoc(2), saleDoc(3), saleDoc(4, { day: NEXT })];
  const returns = [
    returnDoc(sales[0]!, 1, { lines: [{ line_no: 1 }, { line_no: 2, qty: 1 }], rounding: -2 }),
    returnDoc(sales[1]!, 2, { lines: [{ line_no: 5 }] }),
    returnDoc(sales[3]!, 3, { reason: { code: "damaged", text: "Damaged", restock: false } }),
    returnDoc(sales[2]!, 4, { day: LATER, lines: [{ line_no: 3 }] }),
  ];
  await send(id, [...sales.map((s, i) => item(i + 1, s)), ...returns.map((r, i) => item(sales.length + i + 1, r, "return"))]);
  seller = { id, sales, returns };

  const quietId = (await addStore(hq.sql, "Quiet")).storeId;
  const quietSales = [saleDoc(5), saleDoc(6)];
  await send(
    quietId,
    quietSales.map((s, i) => item(i + 1, s)),
  );
  quiet = { id: quietId, sales: quietSales };
}, 60_000);

afterAll(async () => {
  await hq?.close();
});

/** The figures a day (or every day, `null`) of the seller should show. */
function figures(day: string | null) {
  const sales = day ? on(seller.sales, day) : seller.sales;
  const returns = day ? on(seller.returns, day) : seller.returns;
  const gross = sum(sales, (s) => s.total);
  const refunds = sum(returns, (r) => r.total);
  return { sales_count: sales.length, total_minor: gross, returns_count: returns.length, refund_minor: refunds, net_minor: gross - refunds };
}

describe("the per-store summary", () => {
  test("gives gross sales, refunds and net for a day and for a period; what each tender gave back, rounding apart", async () => {
    const day = (await storeSummary(hq.sql, seller.id, { from: DAY, to: DAY }))!;
    expect(day).toMatchObject(figures(DAY));
    expect(figures(DAY)).toMatchObject({ sales_count: 3, returns_count: 2 });
    const [cashBack, cardBack] = seller.returns;
    expect(day.refunds_by_method).toEqual({ cash: cashBack!.total - 2, card: cardBack!.total });
    expect(day.refund_rounding_minor).toBe(-2);
    expect(sum(Object.values(day.refunds_by_method), (x) => x)).toBe(day.refund_minor + day.refund_rounding_minor);

    // a day of returns only: net is below nothing
    const later = (await storeSummary(hq.sql, seller.id, { from: LATER, to: LATER }))!;
    expect(later).toMatchObject({ sales_count: 0, total_minor: 0, returns_count: 1, refund_minor: seller.returns[3]!.total });
    expect(later.net_minor).toBe(-seller.returns[3]!.total);

    expect(await storeSummary(hq.sql, seller.id, { from: null, to: null })).toMatchObject(figures(null));
    expect(await storeSummary(hq.sql, seller.id, { from: DAY, to: NEXT })).toMatchObject({
      returns_count: 3,
      refund_minor: figures(DAY).refund_minor + figures(NEXT).refund_minor,
    });
    // a store without returns: nothing refunded, net is gross
    const none = (await storeSummary(hq.sql, quiet.id, { from: null, to: null }))!;
    expect(none).toMatchObject({ returns_count: 0, refund_minor: 0, net_minor: sum(quiet.sales, (s) => s.total), refunds_by_method: {} });
  });

  test("the JSON API says the same, for one store and in the store list", async () => {
    for (const [from, to] of [
      [DAY, DAY],
      [NEXT, LATER],
      [null, null],
    ] as const) {
      const q = from ? `?from=${from}&to=${to}` : "";
      const one = await api(`/api/v1/stores/${seller.id}/summary${q}`);
      expect(one.status).toBe(200);
      const mine = (await storeSummary(hq.sql, seller.id, { from, to })) as HqSummary;
      const { lag: _lag, ...same } = mine;
      expect(one.body).toMatchObject(same);
      const list = await api(`/api/v1/stores${q}`);
      const row = list.body.data.find((s: { id: string }) => s.id === seller.id);
      expect(row).toMatchObject({
        sales_count: mine.sales_count,
        total_minor: mine.total_minor,
        returns_count: mine.returns_count,
        refund_minor: mine.refund_minor,
        net_minor: mine.net_minor,
      });
    }
    expect((await api(`/api/v1/stores/${seller.id}/summary?from=${LATER}&to=${LATER}`)).body).toMatchObject({ net_minor: -seller.returns[3]!.total });
  });

  test("the by-day table has a row per store and day with sales or returns, each with gross, refunds and net", async () => {
    const rows = (await salesByDayAndStore(hq.sql, DAY, LATER)).filter((r) => [seller.id, quiet.id].includes(r.store_id));
    expect(rows.map((r) => [r.business_date, r.name])).toEqual([
      [LATER, "Seller"],
      [NEXT, "Seller"],
      [DAY, "Quiet"],
      [DAY, "Seller"],
    ]);
    for (const day of [DAY, NEXT, LATER]) {
      const { sales_count, total_minor, returns_count, refund_minor, net_minor } = rows.find((r) => r.business_date === day && r.name === "Seller")!;
      expect({ sales_count, total_minor, returns_count, refund_minor, net_minor }).toEqual(figures(day));
    }
    expect(rows[2]).toMatchObject({ returns_count: 0, refund_minor: 0, net_minor: sum(quiet.sales, (s) => s.total) });
  });
});

describe("the dashboard", () => {
  test("shows each store's gross, refunds and net today, and by day", async () => {
    const viewer = await signedIn(hq, "Vera", "viewer");
    const { res, html } = await viewer.page("/");
    expect(res.status).toBe(200);
    const rowOf = (from: string) => {
      const at = html.indexOf(from);
      expect(at).toBeGreaterThan(-1);
      return html.slice(at, html.indexOf("</tr>", at));
    };
    // counts as numbers, amounts as money in the chain's currency
    const n = (x: number) => x.toLocaleString("en-US");
    const m = (x: number) => formatMoney(x, "EUR");
    const today = figures(DAY);
    const store = rowOf(`<tr data-store-id="${seller.id}">`);
    expect(store).toContain(`<td class="num" data-testid="gross-today">${m(today.total_minor)}</td>`);
    expect(store).toContain(`<td class="num" data-testid="refunds-today">${m(today.refund_minor)}</td>`);
    expect(store).toContain(`<td class="num" data-testid="net-today">${m(today.net_minor)}</td>`);
    const byDay = rowOf(`<tr data-day="${DAY}" data-store-id="${seller.id}">`);
    const cells = [...byDay.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1]);
    expect(cells).toEqual([n(today.sales_count), m(today.total_minor), n(today.returns_count), m(today.refund_minor), m(today.net_minor)]);
  });
});

describe("reconciliation", () => {
  /** The seller's own totals of a day, stating `refund` as its refunds. */
  function report(seq: number, day: string, refund: number): BatchItem {
    const f = figures(day);
    const payload = JSON.stringify({
      by_method: {},
      tax_minor: 0,
      computed_at: `${day}T18:00:00.000Z`,
      sales_count: f.sales_count,
      total_minor: f.total_minor,
      refund_minor: refund,
      business_date: day,
      returns_count: f.returns_count,
      discount_minor: 0,
      rounding_minor: 0,
    });
    return { seq, kind: "day_totals", ref: day, hash: sha256(payload), payload };
  }

  test("the page and the API show the store's refunds against head office's, and say which figure differs", async () => {
    const money = (x: number) => formatMoney(x, "EUR");
    const f = figures(DAY);
    await send(seller.id, [report(9, DAY, f.refund_minor), report(10, NEXT, figures(NEXT).refund_minor + 100)]);
    const viewer = await signedIn(hq, "Rolf", "viewer");
    const { html } = await viewer.page(`/reconciliation?from=${DAY}&to=${NEXT}`);
    const rows = [...html.matchAll(new RegExp(`<tr data-status="(\\w+)" data-store-id="${seller.id}">([\\s\\S]*?)</tr>`, "g"))];
    expect(rows.map((r) => r[1])).toEqual(["match", "mismatch"]);
    const refunds = `refunds ${f.returns_count} · ${money(f.refund_minor)} · net ${money(f.net_minor)}`;
    expect(rows[0]![2]).toContain(`${f.sales_count} · ${money(f.total_minor)}`);
    expect(rows[0]![2]!.split(refunds).length).toBe(4); // the store's word, head office's covered and all it holds
    expect(rows[1]![2]).toContain(`refunds 1 · ${money(figures(NEXT).refund_minor + 100)}`);
    expect(rows[1]![2]).toMatch(/data-testid="differs">\s*refunds</);
    // the quiet store sent no day totals: not reported, its sales shown
    expect(html).toMatch(new RegExp(`<tr data-status="not_reported" data-store-id="${quiet.id}">`));

    const { status, body } = await api(`/api/v1/reconciliation?from=${DAY}&to=${NEXT}&store=${seller.id}`);
    expect(status).toBe(200);
    expect(body.data.map((d: { business_date: string; status: string; differs: string[] }) => [d.business_date, d.status, d.differs])).toEqual([
      [DAY, "match", []],
      [NEXT, "mismatch", ["refund_minor"]],
    ]);
    expect(body.data[1]).toMatchObject({
      reported: { refund_minor: figures(NEXT).refund_minor + 100, returns_count: 1 },
      covered: { refund_minor: figures(NEXT).refund_minor, returns_count: 1 },
    });
  });
});
