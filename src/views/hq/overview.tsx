// The head-office overview: the stores and how recently they were heard from, and what they sold, refunded and netted.
import { useHqPage, useMe } from "./context.ts";
import { HqPage, may } from "./layout.tsx";
import { RestoredEpochAction } from "./reconciliation.tsx";
import { StoreContact, type StoreContactView } from "./stores.tsx";

export type StoreRow = {
  store_id: string;
  name: string;
  last_seq: number;
  items_waiting: number | null;
  restored_epoch: string | null;
  today_count: number;
  today_total: number;
  /** What today's returns refunded (the goods' value); net is today_total less it. */
  today_refund: number;
  dead_letters: number;
  /** What the store said of its catalog after its last pull. */
  catalog_version: number | null;
  catalog_problems: { sku: string; barcode: string; held_by_sku: string; held_by_name: string; version: number }[];
  catalog_error: string | null;
} & StoreContactView;
/** A store's day: gross sales, what its returns refunded, and net (gross less refunds). */
export type DayRow = {
  business_date: string;
  store_id: string;
  name: string;
  sales_count: number;
  total_minor: number;
  returns_count: number;
  refund_minor: number;
  net_minor: number;
};

const minor = (n: number) => n.toLocaleString("en-US");

export function OverviewPage(props: {
  now: Date;
  today: string;
  from: string;
  days: number;
  stores: StoreRow[];
  byDay: DayRow[];
  deadLetters: number;
  message?: string | undefined;
}) {
  const { now, today, stores } = props;
  const me = useMe();
  return (
    <HqPage title="Stores" active="overview" message={props.message}>
      <div class="heading">
        <h1>Stores</h1>
        {may(me, "admin") && (
          <a class="button primary" href="/stores/new" data-testid="register-store">
            Register a store
          </a>
        )}
      </div>
      <p>
        Amounts are in minor units (cents). "Today" is {today} ({useHqPage().timeZone}). Dead letters (items head office could not merge):{" "}
        <a href="/dead-letters" data-testid="dead-letters-link">
          <strong data-testid="dead-letters">{props.deadLetters}</strong>
        </a>
        {props.deadLetters > 0 ? <span class="pill bad">look at them</span> : <span class="pill ok">none</span>}
      </p>
      {stores.length === 0 ? (
        <p class="empty">
          No store is registered yet: {may(me, "admin") ? <a href="/stores/new">register one</a> : "an admin registers them"}, or run 'shopflow hq store add
          --name "Store 12"'.
        </p>
      ) : (
        <table class="grid" data-testid="stores">
          <thead>
            <tr>
              <th>Store</th>
              <th>Store id</th>
              <th>Last contact</th>
              <th class="num">Last seq</th>
              <th class="num">Waiting at the store</th>
              <th>Database</th>
              <th>Catalog</th>
              <th class="num">Sales today</th>
              <th class="num">Gross today</th>
              <th class="num">Refunds today</th>
              <th class="num">Net today</th>
              <th class="num">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {stores.map((s) => (
              <tr data-store-id={s.store_id}>
                <td>
                  <a href={`/stores/${s.store_id}`} data-testid="store-link">
                    {s.name}
                  </a>
                </td>
                <td>
                  {/* a short id to read; the whole one on hover and when copied */}
                  <code title={s.store_id}>{s.store_id.slice(0, 8)}…</code>
                </td>
                <td>
                  <StoreContact link={s} now={now} />
                </td>
                <td class="num">{s.last_seq}</td>
                <td class="num" data-testid="items-waiting">
                  {s.items_waiting ?? "—"}
                </td>
                <td>
                  {s.restored_epoch !== null ? <span class="pill bad">restored epoch reported: not merged</span> : <span class="pill ok">as known</span>}
                  {s.restored_epoch !== null && <RestoredEpochAction storeId={s.store_id} epoch={s.restored_epoch} />}
                </td>
                <td data-testid="store-catalog">
                  {s.catalog_version === null ? "not reported" : `version ${s.catalog_version}`}
                  {s.catalog_problems.length > 0 && (
                    <details>
                      <summary>
                        <span class="pill bad">
                          {s.catalog_problems.length} without {s.catalog_problems.length === 1 ? "its barcode" : "their barcodes"}
                        </span>
                      </summary>
                      <ul>
                        {s.catalog_problems.map((p) => (
                          <li>
                            {p.barcode}: {p.sku} (release {p.version}) — the store's own {p.held_by_sku} {p.held_by_name} holds it
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                  {s.catalog_error && (
                    <span class="pill bad" title={s.catalog_error}>
                      catalog error
                    </span>
                  )}
                </td>
                <td class="num">{s.today_count}</td>
                <td class="num" data-testid="gross-today">
                  {minor(s.today_total)}
                </td>
                <td class="num" data-testid="refunds-today">
                  {minor(s.today_refund)}
                </td>
                <td class="num" data-testid="net-today">
                  {minor(s.today_total - s.today_refund)}
                </td>
                <td class="num">{s.dead_letters > 0 ? <a href={`/dead-letters?store=${s.store_id}`}>{s.dead_letters}</a> : s.dead_letters}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>
        Sales by day and store, {props.from} to {today}
      </h2>
      {props.byDay.length === 0 ? (
        <p class="empty">No sales or returns in the last {props.days} days.</p>
      ) : (
        <table class="grid" data-testid="by-day">
          <thead>
            <tr>
              <th>Business date</th>
              <th>Store</th>
              <th class="num">Sales</th>
              <th class="num">Gross</th>
              <th class="num">Returns</th>
              <th class="num">Refunds</th>
              <th class="num">Net</th>
            </tr>
          </thead>
          <tbody>
            {props.byDay.map((d) => (
              <tr data-day={d.business_date} data-store-id={d.store_id}>
                <td>{d.business_date}</td>
                <td>{d.name}</td>
                <td class="num">{d.sales_count}</td>
                <td class="num">{minor(d.total_minor)}</td>
                <td class="num">{d.returns_count}</td>
                <td class="num">{minor(d.refund_minor)}</td>
                <td class="num">{minor(d.net_minor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </HqPage>
  );
}
