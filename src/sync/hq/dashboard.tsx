// Head office's dashboard: the stores and how recently they were heard from, and the sales they sent. Plain HTML.
import { Hono } from "hono";
import { onError } from "../../server/http/errors.ts";
import type { HqSql } from "./db.ts";
import { salesByDayAndStore, type DaySales } from "./summary.ts";

type StoreRow = {
  store_id: string; name: string; last_seq: number; last_contact_at: Date | null; restored_epoch: string | null;
  today_count: number; today_total: number; dead_letters: number;
};

const DAYS = 7;
const day = (d: Date) => d.toISOString().slice(0, 10);
const minor = (n: number) => n.toLocaleString("en-US");

function ago(at: Date | null, now: Date): string {
  if (!at) return "never";
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

function Page(props: { now: Date; today: string; from: string; stores: StoreRow[]; days: DaySales[]; deadLetters: number }) {
  const { now, today, stores, days } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Head office · ShopFlow</title>
        <link rel="stylesheet" href="/static/register.css" />
      </head>
      <body class="office">
        <header class="topbar">
          <span class="store">ShopFlow head office</span>
        </header>
        <main class="office-main">
          <h1>Stores</h1>
          <p>
            Amounts are in minor units (cents). "Today" is {today} (UTC). Dead letters (items head office could not merge):{" "}
            <strong data-testid="dead-letters">{props.deadLetters}</strong>
            {props.deadLetters > 0 ? <span class="pill bad">look at them</span> : <span class="pill ok">none</span>}
          </p>
          {stores.length === 0 ? (
            <p class="empty">No store is registered yet: run 'shopflow hq store add --name "Store 12"'.</p>
          ) : (
            <table class="report" data-testid="stores">
              <thead>
                <tr>
                  <th>Store</th><th>Store id</th><th>Last contact</th><th class="num">Last seq</th><th>Database</th>
                  <th class="num">Sales today</th><th class="num">Total today</th><th class="num">Dead letters</th>
                </tr>
              </thead>
              <tbody>
                {stores.map((s) => (
                  <tr data-store-id={s.store_id}>
                    <td>{s.name}</td>
                    <td><code>{s.store_id}</code></td>
                    <td>{s.last_contact_at ? <time datetime={s.last_contact_at.toISOString()}>{ago(s.last_contact_at, now)}</time> : "never"}</td>
                    <td class="num">{s.last_seq}</td>
                    <td>{s.restored_epoch !== null ? <span class="pill bad">restored epoch reported: not merged</span> : <span class="pill ok">as known</span>}</td>
                    <td class="num">{s.today_count}</td>
                    <td class="num">{minor(s.today_total)}</td>
                    <td class="num">{s.dead_letters}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Sales by day and store, {props.from} to {today}</h2>
          {days.length === 0 ? (
            <p class="empty">No sales in the last {DAYS} days.</p>
          ) : (
            <table class="report" data-testid="by-day">
              <thead>
                <tr><th>Business date</th><th>Store</th><th class="num">Sales</th><th class="num">Total</th></tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr>
                    <td>{d.business_date}</td>
                    <td>{d.name}</td>
                    <td class="num">{d.sales_count}</td>
                    <td class="num">{minor(d.total_minor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </main>
      </body>
    </html>
  );
}

export function hqDashboard(sql: HqSql) {
  const app = new Hono();
  app.onError(onError);
  app.get("/", async (c) => {
    const now = new Date();
    const today = day(now);
    const from = day(new Date(now.getTime() - (DAYS - 1) * 86_400_000));
    const [stores, days, [dead]] = await Promise.all([
      sql<StoreRow[]>`
        SELECT st.store_id::text, st.name, st.last_seq, st.last_contact_at, st.restored_epoch,
          coalesce(t.n, 0)::int8 AS today_count, coalesce(t.total, 0)::int8 AS today_total, coalesce(d.n, 0)::int8 AS dead_letters
        FROM stores st
        LEFT JOIN (SELECT store_id, count(*) AS n, sum(total_minor) AS total FROM sales WHERE business_date = ${today}::date GROUP BY store_id) t
          ON t.store_id = st.store_id
        LEFT JOIN (SELECT store_id, count(*) AS n FROM dead_letters GROUP BY store_id) d ON d.store_id = st.store_id
        ORDER BY st.name, st.store_id`,
      salesByDayAndStore(sql, from, today),
      sql<{ n: number }[]>`SELECT count(*) AS n FROM dead_letters`,
    ]);
    return c.html("<!DOCTYPE html>" + String(<Page now={now} today={today} from={from} stores={stores} days={days} deadLetters={dead!.n} />));
  });
  return app;
}
