// Head office's pages at a chain's size: the overview (/) and a store's page (/stores/:id), p99 over real HTTP, with
// 200 stores and a year of their sales, returns and day totals in PostgreSQL. The rows are written with set-based SQL
// into the same tables the receiver fills (sales and hq_returns in their monthly partitions, store_day_totals, the day
// rollup), so the pages read what they would read after a year of ingest; sale lines and payments are left out (neither
// page reads them). A throwaway cluster, removed after. Run alone: node_modules/.bin/bun bench/hq-pages.ts
import { businessDate } from "../src/domain/kernel/calendar.ts";
import type { HqSql } from "../src/sync/hq/db/db.ts";
import { shiftDay } from "../src/sync/hq/stores/overview.ts";
import type { Section } from "./context.ts";
import { addBenchStores, BENCH_VIEWER, timeGets, withHqBench } from "./hq-bench.ts";
import { progress, round } from "./stats.ts";

const STORES = Number(process.env.BENCH_HQ_PAGES_STORES ?? 200);
const DAYS = Number(process.env.BENCH_HQ_PAGES_DAYS ?? 365);
/** Sales per store and day: a small supermarket's day is a few hundred; 100 keeps the seeding to a minute or two. */
const SALES_PER_DAY = Number(process.env.BENCH_HQ_PAGES_SALES_PER_DAY ?? 100);
/** One sale in this many is returned. */
const RETURN_EVERY = 25;
const REQUESTS = Number(process.env.BENCH_HQ_PAGES_REQUESTS ?? 300);
const WARM_UP = 20;
const EPOCH = "bench";
const TIME_ZONE = "UTC";

/** A store's items per day in its outbox numbering: its sales, then its day totals. */
const PER_DAY = SALES_PER_DAY + 1;

/** A year of the chain's sales and returns, month by month, numbered per store as its outbox would number them. */
export async function seed(sql: HqSql, today: string): Promise<void> {
  const first = shiftDay(today, -(DAYS - 1));
  await addBenchStores(sql, STORES, EPOCH);
  const days = Array.from({ length: DAYS }, (_, d) => shiftDay(first, d));
  await sql`SELECT hq_ensure_month_partitions(${days}::date[])`;
  const months = [...new Set(days.map((d) => d.slice(0, 7)))];
  for (const month of months) {
    const from = days.find((d) => d.startsWith(month))!;
    const to = days.findLast((d) => d.startsWith(month))!;
    const t0 = performance.now();
    // each store sells a little differently (n), so a day has a worst store; totals 2.00 to 62.00
    await sql`
      WITH st AS (SELECT store_id, row_number() OVER (ORDER BY store_id) AS n FROM stores),
      sold AS (
        SELECT st.store_id, st.n, d::date AS day, (d::date - ${first}::date) AS i, k,
          300 + ((st.n * 131 + k * 7919 + (d::date - ${first}::date) * 31) % 6000) AS total
        FROM st CROSS JOIN generate_series(${from}::date, ${to}::date, interval '1 day') d
        CROSS JOIN generate_series(1, ${SALES_PER_DAY}::int) k
      )
      INSERT INTO sales (store_id, sale_id, business_date, receipt_number, register_id, opened_at, completed_at, subtotal_minor,
        total_minor, tax_minor, discount_minor, rounding_minor, paid_minor, change_minor, payload, content_hash, epoch, seq)
      SELECT store_id, gen_random_uuid(), day, format('%s-%s', 1 + k % 4, i * ${PER_DAY}::int + k), 1 + k % 4,
        day + make_interval(secs => 28800 + k * 240), day + make_interval(secs => 28830 + k * 240), total, total,
        total / 11, 0, 0, total, 0, '{}'::jsonb, md5(store_id::text || day || k), ${EPOCH}, i * ${PER_DAY}::int + k
      FROM sold`;
    await sql`
      INSERT INTO hq_returns (store_id, return_id, business_date, return_number, sale_id, receipt_number, register_id, returned_at,
        reason_code, reason, total_minor, tax_minor, rounding_minor, payload, content_hash, epoch, seq)
      SELECT store_id, gen_random_uuid(), business_date, 'R' || seq, sale_id, receipt_number, register_id, completed_at + interval '1 hour',
        'changed_mind', 'Changed mind', total_minor / 2, total_minor / 22, 0, '{}'::jsonb, content_hash, ${EPOCH}, -seq
      FROM sales WHERE business_date BETWEEN ${from}::date AND ${to}::date AND seq % ${RETURN_EVERY}::int = 0`;
    // the store's own totals of each day, after its sales: what reconciliation compares (one store in 50 says one more)
    await sql`
      INSERT INTO store_day_totals (store_id, epoch, seq, business_date, sales_count, total_minor, tax_minor, discount_minor,
        rounding_minor, computed_at, payload, content_hash)
      SELECT s.store_id, ${EPOCH}, max(s.seq) + 1, s.business_date,
        count(*) + CASE WHEN abs(hashtext(s.store_id::text)) % 50 = 0 THEN 1 ELSE 0 END, sum(s.total_minor), 0, 0, 0,
        s.business_date + interval '20 hours', '{}'::jsonb, 'bench'
      FROM sales s WHERE s.business_date BETWEEN ${from}::date AND ${to}::date GROUP BY s.store_id, s.business_date`;
    progress(`hq pages: ${month} seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  // the day rollup the statement merging a batch keeps beside the raw rows (migration 021): the overview reads it
  await sql`
    INSERT INTO rollup_days (store_id, business_day, baskets, gross_minor, sales_minor, tax_minor, returns, refund_minor, refund_tax_minor)
    SELECT store_id, business_date, sum(baskets), sum(sold), sum(sold), sum(tax), sum(returns), sum(refund), sum(rtax)
    FROM (
      SELECT store_id, business_date, 1 AS baskets, total_minor AS sold, tax_minor AS tax, 0 AS returns, 0 AS refund, 0 AS rtax FROM sales
      UNION ALL
      SELECT store_id, business_date, 0, 0, 0, 1, total_minor, tax_minor FROM hq_returns
    ) x
    GROUP BY store_id, business_date`;
  // how stores stand: most heard from a moment ago, a few silent, a few behind on the catalog, a few dead letters
  await sql`INSERT INTO catalog_releases (version, effective_at, changes) SELECT v, now(), '{}'::jsonb FROM generate_series(1, 40) v`;
  await sql`
    WITH st AS (SELECT store_id, row_number() OVER (ORDER BY store_id) AS n FROM stores)
    UPDATE stores s SET last_seq = (SELECT max(seq) FROM store_day_totals t WHERE t.store_id = s.store_id),
      last_contact_at = now() - make_interval(secs => CASE WHEN st.n % 40 = 0 THEN 3600 ELSE st.n % 30 END),
      outbox_top = NULL, catalog_version = CASE WHEN st.n % 25 = 0 THEN 38 ELSE 40 END, installation_id = 'inst-' || st.n
    FROM st WHERE st.store_id = s.store_id`;
  await sql`
    INSERT INTO dead_letters (store_id, epoch, seq, content_hash, kind, reason, body)
    SELECT store_id, ${EPOCH}, 1000000000 + k, md5(store_id::text || k), 'return', 'unknown kind "return"', '{}'::jsonb
    FROM (SELECT store_id FROM stores ORDER BY store_id LIMIT 10) st CROSS JOIN generate_series(1, 3) k`;
  await sql`ANALYZE`;
}

/** Sign in over HTTP as a person would: the sign-in page's CSRF cookie and token, then the form. The cookies to send. */
async function signIn(base: string, name: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const login = await fetch(`${base}/login`);
  keep(login);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? "";
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie(), Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, name, password, next: "/" }),
  });
  keep(res);
  if (res.status !== 303) throw new Error(`hq pages: sign-in answered ${res.status}`);
  return cookie();
}

/** p50/p99 of GETs of `paths` in turn, one at a time (a person's page loads), signed in. */
function measure(base: string, cookie: string, paths: string[]) {
  return timeGets("hq pages", (i) => fetch(base + paths[i % paths.length]!, { headers: { Cookie: cookie, Accept: "text/html" } }), {
    warmUp: WARM_UP,
    requests: REQUESTS,
  });
}

export const hqPages: Section = {
  name: "hq_pages",
  phase: "offline",
  run: () =>
    withHqBench(async ({ sql, serve }) => {
      const today = businessDate(new Date(), TIME_ZONE);
      const t0 = performance.now();
      await seed(sql, today);
      const seedS = (performance.now() - t0) / 1000;
      const [n] = await sql<
        { sales: number; returns: number }[]
      >`SELECT (SELECT count(*) FROM sales)::int8 AS sales, (SELECT count(*) FROM hq_returns)::int8 AS returns`;
      progress(`hq pages: ${n!.sales} sales and ${n!.returns} returns of ${STORES} stores seeded in ${round(seedS, 1)} s`);

      const base = await serve({ timeZone: TIME_ZONE });
      const cookie = await signIn(base, BENCH_VIEWER.name, BENCH_VIEWER.password);
      const stores = (await sql<{ id: string }[]>`SELECT store_id::text AS id FROM stores ORDER BY name`).map((r) => r.id);
      // today by name, yesterday worst first, a day of each month: what a manager clicks through
      const overviewPaths = [
        "/",
        `/?day=${shiftDay(today, -1)}&sort=worst`,
        ...Array.from({ length: 12 }, (_, m) => `/?day=${shiftDay(today, -(m * 30 + 3))}`),
      ];
      const overview = await measure(base, cookie, overviewPaths);
      progress(`hq pages: overview p99 ${overview.p99_ms} ms`);
      const storePage = await measure(
        base,
        cookie,
        stores.map((id) => `/stores/${id}`),
      );
      progress(`hq pages: store page p99 ${storePage.p99_ms} ms`);
      return {
        hq_pages: {
          stores: STORES,
          days: DAYS,
          sales: n!.sales,
          returns: n!.returns,
          seed_s: round(seedS, 1),
          overview,
          overview_paths: "/ (today), yesterday worst first, and a day of each month of the year, in turn",
          store_page: storePage,
          store_page_paths: "/stores/:id of every store in turn",
          method: "GET over HTTP to head office on 127.0.0.1, signed in as a viewer, one request at a time",
        },
      };
    }),
};

if (import.meta.main) {
  console.log(JSON.stringify(await hqPages.run({} as never), null, 2));
}
