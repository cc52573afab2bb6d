// Head office's reports through the real app on a real PostgreSQL: every view's figures equal the sums of the documents
// the stores sent, each table's CSV is the table, the drill-down goes store → day → sale, a person or token limited to a
// store sees only its figures, and every bad period or store is a 4xx with a code and a sentence.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ReturnPayload } from "../../src/sync/contracts.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { splitMonths } from "../../src/sync/hq/reports/period.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, catalogProduct, chainTaxClasses, type Doc, item, returnDoc, saleDoc } from "./support.ts";

let hq: Hq;
let admin: Visitor;
let lena: Visitor;
let token: string;
let northToken: string;
const ids = { north: "", south: "" };
const docs = { north: [] as Doc[], south: [] as Doc[] };
const refunds: ReturnPayload[] = [];
const PERIOD = "from=2026-11-01&to=2026-11-30";

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    {
      tax_classes: chainTaxClasses,
      products: [
        catalogProduct({ sku: "SKU-1", category: "Dairy" }),
        catalogProduct({ sku: "SKU-2", category: "Dairy" }),
        catalogProduct({ sku: "SKU-3", category: "Bakery" }),
      ],
    },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );
  ids.north = (await addStore(hq.sql, "North")).storeId;
  ids.south = (await addStore(hq.sql, "South")).storeId;
  docs.north = [saleDoc(1), saleDoc(2), saleDoc(3, { day: "2026-11-26" }), saleDoc(4, { day: "2026-10-31" })];
  docs.south = [saleDoc(5, { lines: 2 }), saleDoc(6, { lines: 3, day: "2026-11-27" })];
  refunds.push(returnDoc(docs.north[0]!, 1, { lines: [{ line_no: 1 }] }));
  const north: BatchItem[] = [...docs.north.map((d, i) => item(i + 1, d)), item(5, refunds[0], "return")];
  expect((await receiveBatch(hq.sql, ids.north, batch(ids.north, "E1", north))).status).toBe(200);
  const south = docs.south.map((d, i) => item(i + 1, d));
  expect((await receiveBatch(hq.sql, ids.south, batch(ids.south, "E1", south))).status).toBe(200);

  admin = await signedIn(hq, "Ada", "admin");
  lena = await signedIn(hq, "Lena", "viewer");
  const id = (await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lena'`)[0]!.id;
  await admin.page(`/users/${id}`);
  expect((await admin.request("POST", `/users/${id}/stores`, { form: { which: "some", [`store:${ids.north}`]: "on" } })).status).toBe(200);
  token = (await createApiToken(hq.sql, "bi", "test")).secret;
  northToken = (await createApiToken(hq.sql, "bi-north", "test", [ids.north])).secret;
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const inNovember = (list: Doc[]) => list.filter((d) => (d.completed_at ?? "").startsWith("2026-11"));
const sum = (list: Doc[]) => inNovember(list).reduce((s, d) => s + d.total, 0);

async function api(path: string, secret = token): Promise<Response> {
  return hq.app.request(`${ORIGIN}/api/v1/reports${path}`, { headers: { Authorization: `Bearer ${secret}`, Host: "hq.test" } });
}

const rowKeys = (html: string) => [...html.matchAll(/data-testid="report-row" data-key="([^"]+)"/g)].map((m) => m[1]);

describe("the JSON API", () => {
  test("by store and by day: net is what the stores sold less what they refunded, in the period only", async () => {
    const res = await api(`/stores?${PERIOD}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      period: unknown;
      previous: unknown;
      rows: { store_id: string; baskets: number; net_minor: number; refund_minor: number }[];
    };
    expect(body.period).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(body.previous).toEqual({ from: "2026-10-02", to: "2026-10-31" });
    const of = (id: string) => body.rows.find((r) => r.store_id === id)!;
    expect(of(ids.north)).toMatchObject({ baskets: 3, refund_minor: refunds[0]!.total, net_minor: sum(docs.north) - refunds[0]!.total });
    expect(of(ids.south)).toMatchObject({ baskets: 2, net_minor: sum(docs.south) });
    const days = (await (await api(`/days?${PERIOD}&store=${ids.south}`)).json()) as { rows: { business_day: string; sales_minor: number }[] };
    expect(days.rows).toEqual([
      expect.objectContaining({ business_day: "2026-11-25", sales_minor: docs.south[0]!.total }),
      expect.objectContaining({ business_day: "2026-11-27", sales_minor: docs.south[1]!.total }),
    ]);
  });

  test("by product, category, hour and tender add up to the same net", async () => {
    const net = sum(docs.north) + sum(docs.south) - refunds[0]!.total;
    for (const view of ["products", "categories", "hours", "tenders"]) {
      const body = (await (await api(`/${view}?${PERIOD}`)).json()) as { rows: { net_minor: number }[] };
      expect({ view, net: body.rows.reduce((s, r) => s + r.net_minor, 0) }).toEqual({ view, net });
    }
    const cats = (await (await api(`/categories?${PERIOD}`)).json()) as { rows: { category: string | null; products: number }[] };
    expect(cats.rows.map((r) => [r.category, r.products]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["Bakery", 1],
      ["Dairy", 2],
      [null, 2],
    ]);
  });

  test("a token limited to a store reads only that store; another store is not found", async () => {
    const body = (await (await api(`/stores?${PERIOD}`, northToken)).json()) as { rows: { store_id: string }[] };
    expect(body.rows.map((r) => r.store_id)).toEqual([ids.north]);
    const res = await api(`/days?${PERIOD}&store=${ids.south}`, northToken);
    expect([res.status, await errorCode(res)]).toEqual([404, "store_not_found"]);
  });

  test("bad periods are 400 invalid_period with a sentence; a bad store is 400", async () => {
    for (const q of [
      "period=fortnight",
      "from=2026-11-31&to=2026-12-01",
      "from=2026-12-01&to=2026-11-01",
      "from=2026-11-01",
      "from=2020-01-01&to=2026-01-01",
      "period=week&from=2026-11-01&to=2026-11-02",
    ]) {
      const res = await api(`/products?${q}`);
      const text = await res.text();
      expect({ q, status: res.status, code: await errorCode(new Response(text, { headers: res.headers })) }).toEqual({
        q,
        status: 400,
        code: "invalid_period",
      });
      expect(text.length).toBeGreaterThan(60);
    }
    const res = await api(`/days?${PERIOD}&store=nope`);
    expect([res.status, await errorCode(res)]).toEqual([400, "invalid_request"]);
    expect((await hq.app.request(`${ORIGIN}/api/v1/reports/stores`, { headers: { Host: "hq.test" } })).status).toBe(401);
  });
});

describe("the pages", () => {
  test("every view answers with its table, chart or heatmap; the stores view lists both stores", async () => {
    for (const view of ["products", "categories", "stores", "days", "hours", "tenders", "movers", "compare"]) {
      const { res, html } = await admin.page(`/reports?view=${view}&${PERIOD}`);
      expect({ view, status: res.status }).toEqual({ view, status: 200 });
      if (view === "hours") expect(html).toContain('data-testid="heatmap"');
      if (view === "movers") expect(html).toContain('data-testid="movers"');
    }
    const { html } = await admin.page(`/reports?view=stores&${PERIOD}`);
    expect(rowKeys(html).sort()).toEqual([ids.north, ids.south].sort());
    expect(html).toContain('data-testid="report-chart"');
  });

  test("each table's CSV has the table's rows and the period before", async () => {
    const { html } = await admin.page(`/reports?view=products&${PERIOD}`);
    const res = await admin.request("GET", `/reports/export.csv?view=products&${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toStartWith("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toStartWith('"SKU","Product","Category","Quantity"');
    expect(lines[0]).toEndWith('"Net, period before"');
    expect(lines.slice(1).map((l) => JSON.parse(`[${l}]`)[0])).toEqual(rowKeys(html));
  });

  test("drill-down: a store's days, a day's sales, a sale's lines", async () => {
    const { html } = await admin.page(`/reports?view=stores&${PERIOD}`);
    const days = /href="(\/reports\?[^"]*view=days&amp;store=[^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const dayPage = await admin.page(days);
    expect(dayPage.res.status).toBe(200);
    const salesHref = /href="(\/reports\/sales\?[^"]+)"/.exec(dayPage.html)![1]!.replaceAll("&amp;", "&");
    const sales = await admin.page(salesHref);
    expect(sales.res.status).toBe(200);
    const saleHref = /href="(\/reports\/sales\/[^"]+)"/.exec(sales.html)![1]!.replaceAll("&amp;", "&");
    const sale = await admin.page(saleHref);
    expect(sale.res.status).toBe(200);
    expect(sale.html).toContain('data-testid="sale-lines"');
    const missing = await admin.request("GET", saleHref.replace(/sales\/[0-9a-f-]+/, "sales/00000000-0000-0000-0000-000000000000"));
    expect([missing.status, await errorCode(missing)]).toEqual([404, "sale_not_found"]);
  });

  test("a person limited to a store sees only it, in the figures, the picker and the drill-down", async () => {
    const { html } = await lena.page(`/reports?view=stores&${PERIOD}`);
    expect(rowKeys(html)).toEqual([ids.north]);
    expect(html).not.toContain(ids.south);
    for (const path of [`/reports?view=days&store=${ids.south}&${PERIOD}`, `/reports/sales?store=${ids.south}&day=2026-11-25`]) {
      const res = await lena.request("GET", path);
      expect([res.status, await errorCode(res)]).toEqual([404, "store_not_found"]);
    }
  });

  test("a bad period or view on a page is a 400 with its code", async () => {
    for (const [path, code] of [
      ["/reports?period=soon", "invalid_period"],
      ["/reports?view=everything", "invalid_request"],
      ["/reports/sales?store=" + "x", "invalid_request"],
      ["/reports/export.csv?view=movers", "invalid_request"],
    ] as const) {
      const res = await admin.request("GET", path);
      expect({ path, status: res.status, code: await errorCode(res) }).toEqual({ path, status: 400, code });
    }
  });
});

describe("the period's months", () => {
  test("whole months read the monthly rollup, the days around them the daily one", () => {
    expect(splitMonths({ from: "2026-01-15", to: "2026-04-10" })).toEqual({
      months: ["2026-02-01", "2026-03-01"],
      days: [
        ["2026-01-15", "2026-01-31"],
        ["2026-04-01", "2026-04-10"],
      ],
    });
    expect(splitMonths({ from: "2026-01-01", to: "2026-12-31" })).toEqual({ months: ["2026-01-01", "2026-12-01"], days: [] });
    expect(splitMonths({ from: "2026-02-03", to: "2026-02-20" })).toEqual({ months: null, days: [["2026-02-03", "2026-02-20"]] });
    expect(splitMonths({ from: "2026-02-01", to: "2026-02-27" })).toEqual({ months: null, days: [["2026-02-01", "2026-02-27"]] });
    expect(splitMonths({ from: "2026-01-20", to: "2026-02-28" })).toEqual({ months: ["2026-02-01", "2026-02-01"], days: [["2026-01-20", "2026-01-31"]] });
  });
});
