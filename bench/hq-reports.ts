// Head office's reports at a chain's size: a year of 200 stores synthesised straight into the report rollups (HQ
// migration 021) with set-based SQL — at least 10 million sale lines' worth — then each report over the whole year, for
// every store, through /api/v1/reports over real HTTP (p50/p99), and the reports page of the year (its period before
// beside it). The raw sales are left out: the reports never read them. A throwaway cluster, removed after.
// Run alone: node_modules/.bin/bun bench/hq-reports.ts
import { businessDate } from "../src/domain/kernel/calendar.ts";
import { createApiToken } from "../src/sync/hq/api/tokens.ts";
import type { HqSql } from "../src/sync/hq/db/db.ts";
import { CHAIN_ROWS } from "../src/sync/hq/reports/queries.ts";
import { FIGURES as HOUR_FIGURES } from "../src/sync/hq/reports/store-hours.ts";
import { shiftDay } from "../src/sync/hq/stores/overview.ts";
import type { Section } from "./context.ts";
import { addBenchStores, timeGets, withHqBench } from "./hq-bench.ts";
import { progress, round } from "./stats.ts";

const STORES = Number(process.env.BENCH_HQ_REPORTS_STORES ?? 200);
const DAYS = Number(process.env.BENCH_HQ_REPORTS_DAYS ?? 365);
/** The chain's assortment, in CATEGORIES categories; each store sells PRODUCTS_PER_DAY of them a day, LINES_PER_PRODUCT lines each. */
const PRODUCTS = Number(process.env.BENCH_HQ_REPORTS_PRODUCTS ?? 500);
const CATEGORIES = 20;
const PRODUCTS_PER_DAY = Number(process.env.BENCH_HQ_REPORTS_PRODUCTS_PER_DAY ?? 60);
const LINES_PER_PRODUCT = 3;
/** Open hours a day: 08:00 to 21:00 UTC. */
const HOURS = 14;
const REQUESTS = Number(process.env.BENCH_HQ_REPORTS_REQUESTS ?? 40);
const WARM_UP = 3;
const TIME_ZONE = "UTC";
/** The figures of a product's row (rollup_sales, rollup_sales_months); an hour's or a day's are head office's HOUR_FIGURES. */
const SALE_FIGURES = [
  "qty_milli",
  "gross_minor",
  "discount_minor",
  "sales_minor",
  "tax_minor",
  "lines",
  "returned_qty_milli",
  "refund_minor",
  "refund_tax_minor",
  "return_lines",
] as const;

async function seed(sql: HqSql, first: string, last: string): Promise<void> {
  await addBenchStores(sql, STORES, "bench");
  // the figures' columns, and their sums (the names are this file's own)
  const names = (columns: readonly string[]) => sql.unsafe(columns.join(", "));
  const sums = (columns: readonly string[]) => sql.unsafe(columns.map((c) => `sum(${c})`).join(", "));
  await sql`
    INSERT INTO catalog_products (sku, name, tax_class, category, active, item, version, effective_at, changed_at)
    SELECT 'SKU-' || k, 'Product ' || k, 'STD', 'Category ' || (1 + k % ${CATEGORIES}::int), true, '{}'::jsonb, 1, now(), now()
    FROM generate_series(1, ${PRODUCTS}::int) k`;
  const months = [...new Set(Array.from({ length: DAYS }, (_, d) => shiftDay(first, d).slice(0, 7)))];
  for (const month of months) {
    const from = `${month}-01` < first ? first : `${month}-01`;
    const end = lastOf(month) > last ? last : lastOf(month);
    const t0 = performance.now();
    // each store sells a different slice of the assortment each day; price and quantity vary with store, day and product
    await sql`
      WITH st AS (SELECT store_id, row_number() OVER (ORDER BY store_id) AS n FROM stores)
      INSERT INTO rollup_sales (store_id, business_day, sku, name, ${names(SALE_FIGURES)})
      SELECT st.store_id, d::date, 'SKU-' || p, 'Product ' || p, q * 1000, q * price, q * price / 20, q * price - q * price / 20,
        (q * price - q * price / 20) / 11, ${LINES_PER_PRODUCT}::int,
        CASE WHEN k % 17 = 0 THEN 1000 ELSE 0 END, CASE WHEN k % 17 = 0 THEN price ELSE 0 END,
        CASE WHEN k % 17 = 0 THEN price / 11 ELSE 0 END, CASE WHEN k % 17 = 0 THEN 1 ELSE 0 END
      FROM st CROSS JOIN generate_series(${from}::date, ${end}::date, interval '1 day') d
      CROSS JOIN generate_series(1, ${PRODUCTS_PER_DAY}::int) k
      CROSS JOIN LATERAL (SELECT 1 + ((st.n * 37 + (d::date - ${first}::date) * 11 + k * 7) % ${PRODUCTS}::int) AS p,
        ${LINES_PER_PRODUCT}::int + (k % 3) AS q, 100 + ((st.n + k * 13) % 900) AS price) x`;
    await sql`
      WITH st AS (SELECT store_id, row_number() OVER (ORDER BY store_id) AS n FROM stores)
      INSERT INTO rollup_hours (store_id, business_day, hour, ${names(HOUR_FIGURES)})
      SELECT st.store_id, d::date, d + make_interval(hours => 8 + h), b, b * 4000, b * 2400, b * 120, b * 2280, b * 207, 0, b * 30,
        CASE WHEN h = 12 THEN 2 ELSE 0 END, CASE WHEN h = 12 THEN 900 ELSE 0 END, CASE WHEN h = 12 THEN 81 ELSE 0 END
      FROM st CROSS JOIN generate_series(${from}::date, ${end}::date, interval '1 day') d
      CROSS JOIN generate_series(0, ${HOURS - 1}::int) h
      CROSS JOIN LATERAL (SELECT 2 + ((st.n + h * 5 + extract(dow FROM d)::int * 3) % 12) AS b) x`;
    await sql`
      INSERT INTO rollup_tenders (store_id, business_day, method, payments, paid_minor, refunds, refunded_minor)
      SELECT store_id, business_day, m.method, (sum(baskets) * m.share / 10)::int8, (sum(sales_minor) * m.share / 10)::int8,
        sum(returns)::int8 / 3, (sum(refund_minor) * m.share / 10)::int8
      FROM rollup_hours CROSS JOIN (VALUES ('cash', 4), ('card', 5), ('voucher', 1)) m(method, share)
      WHERE business_day BETWEEN ${from}::date AND ${end}::date
      GROUP BY store_id, business_day, m.method, m.share`;
    progress(`hq reports: ${month} seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  // the months, the days, and the chain's rows (every store's together, as ingest keeps them beside each store's): sums
  // of the rows just written
  await sql`
    INSERT INTO rollup_sales_months (store_id, month, sku, name, ${names(SALE_FIGURES)})
    SELECT store_id, date_trunc('month', business_day)::date, sku, max(name), ${sums(SALE_FIGURES)}
    FROM rollup_sales GROUP BY 1, 2, 3`;
  await sql`
    INSERT INTO rollup_days (store_id, business_day, ${names(HOUR_FIGURES)})
    SELECT store_id, business_day, ${sums(HOUR_FIGURES)} FROM rollup_hours GROUP BY store_id, business_day`;
  await sql`
    INSERT INTO rollup_sales (store_id, business_day, sku, name, ${names(SALE_FIGURES)})
    SELECT ${CHAIN_ROWS}::uuid, business_day, sku, max(name), ${sums(SALE_FIGURES)} FROM rollup_sales GROUP BY business_day, sku`;
  await sql`
    INSERT INTO rollup_sales_months (store_id, month, sku, name, ${names(SALE_FIGURES)})
    SELECT ${CHAIN_ROWS}::uuid, month, sku, max(name), ${sums(SALE_FIGURES)} FROM rollup_sales_months GROUP BY month, sku`;
  await sql`
    INSERT INTO rollup_hours (store_id, business_day, hour, ${names(HOUR_FIGURES)})
    SELECT ${CHAIN_ROWS}::uuid, business_day, hour, ${sums(HOUR_FIGURES)} FROM rollup_hours GROUP BY business_day, hour`;
  await sql`VACUUM ANALYZE`;
}

function lastOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export const hqReports: Section = {
  name: "hq_reports",
  phase: "offline",
  run: () =>
    withHqBench(async ({ sql, serve }) => {
      const today = businessDate(new Date(), TIME_ZONE);
      const first = shiftDay(today, -(DAYS - 1));
      const t0 = performance.now();
      await seed(sql, first, today);
      const seedS = (performance.now() - t0) / 1000;
      const [n] = await sql<{ lines: number; product_rows: number; month_rows: number; hour_rows: number; baskets: number }[]>`
        SELECT (SELECT sum(lines) FROM rollup_sales WHERE store_id <> ${CHAIN_ROWS}::uuid)::int8 AS lines,
          (SELECT count(*) FROM rollup_sales)::int8 AS product_rows,
          (SELECT count(*) FROM rollup_sales_months)::int8 AS month_rows, (SELECT count(*) FROM rollup_hours)::int8 AS hour_rows,
          (SELECT sum(baskets) FROM rollup_hours WHERE store_id <> ${CHAIN_ROWS}::uuid)::int8 AS baskets`;
      progress(`hq reports: ${n!.lines} lines' worth in ${n!.product_rows} product rows, seeded in ${round(seedS, 1)} s`);

      const { secret } = await createApiToken(sql, "bench", "bench");
      const base = await serve({ timeZone: TIME_ZONE });
      const year = `from=${first}&to=${today}`;
      const measure = (query: string) =>
        timeGets("hq reports", () => fetch(`${base}/api/v1/reports/${query}`, { headers: { Authorization: `Bearer ${secret}` } }), {
          warmUp: WARM_UP,
          requests: REQUESTS,
        });
      const api: Record<string, unknown> = {};
      let worst = 0;
      for (const view of ["products", "categories", "stores", "days", "hours", "tenders"]) {
        const s = await measure(`${view}?${year}`);
        api[view] = s;
        worst = Math.max(worst, s.p99_ms);
        progress(`hq reports: ${view} over the year p99 ${s.p99_ms} ms`);
      }
      const oneStore = (await sql<{ id: string }[]>`SELECT store_id::text AS id FROM stores ORDER BY name LIMIT 1`)[0]!.id;
      const store = await measure(`products?${year}&store=${oneStore}`);
      progress(`hq reports: one store's products over the year p99 ${store.p99_ms} ms`);
      return {
        hq_reports: {
          stores: STORES,
          days: DAYS,
          products: PRODUCTS,
          sale_lines_worth: n!.lines,
          baskets: n!.baskets,
          rollup_rows: { products_by_day: n!.product_rows, products_by_month: n!.month_rows, hours: n!.hour_rows },
          seed_s: round(seedS, 1),
          year_api: api,
          year_worst_p99_ms: worst,
          one_store_products: store,
          method: "GET /api/v1/reports/<view>?from=<a year ago>&to=<today> over HTTP on 127.0.0.1 with a bearer token, every store, one request at a time",
        },
      };
    }),
};

if (import.meta.main) {
  console.log(JSON.stringify(await hqReports.run({} as never), null, 2));
}
