// The head-office overview of one business day, in money: the chain's day against the same weekday a week earlier,
// the fortnight's net, what needs attention first, then every store — online or not, and what it sold that day.
import { type Locale, money, day as shortDay } from "../ui/format.ts";
import { useHqPage, useMe } from "./context.ts";
import { HqPage, may } from "./layout.tsx";
import { type Attention, type ChainDay, ChainTotals, NeedsAttention, NetChart } from "./overview-parts.tsx";
import { RestoredEpochAction } from "./reconciliation.tsx";
import { StoreContact, type StoreContactView } from "./stores.tsx";

export type { Attention, ChainDay };

export type OverviewStore = {
  store_id: string;
  name: string;
  last_seq: number;
  items_waiting: number | null;
  restored_epoch: string | null;
  /** Heard from in the last few minutes (overview.ts, SILENT_MINUTES). */
  online: boolean;
  /** The chosen day's sales: how many, their total, and what its returns refunded (net is total less it). */
  day_count: number;
  day_total: number;
  day_refund: number;
  dead_letters: number;
  /** What the store said of its catalog after its last pull. */
  catalog_version: number | null;
  /** Releases published that the store has not taken (one it holds for its effective time counts as taken). */
  catalog_behind: number;
  catalog_problems: { sku: string; barcode: string; held_by_sku: string; held_by_name: string; version: number }[];
  catalog_error: string | null;
  /** Other machines seen using the store's credentials lately. */
  clones: number;
} & StoreContactView;

/** A store's business day: gross sales, what its returns refunded, and net (gross less refunds). */
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

/** "name": by name; "worst": the lowest net of the day first. */
export type OverviewSort = "name" | "worst";

export type OverviewView = {
  now: Date;
  /** The business day shown, and head office's today (the latest a person can choose). */
  day: string;
  today: string;
  /** The fortnight up to `day`, oldest first: the chart, and the chain's day against a week earlier. */
  days: ChainDay[];
  stores: OverviewStore[];
  attention: Attention[];
  /** Each store's chosen day and the same weekday a week earlier, newest first (days without sales or returns left out). */
  byDay: DayRow[];
  deadLetters: number;
  sort: OverviewSort;
  message?: string | undefined;
};

const net = (s: OverviewStore) => s.day_total - s.day_refund;

export function OverviewPage(props: OverviewView) {
  const { now, day, stores } = props;
  const me = useMe();
  const { currency, timeZone } = useHqPage();
  const locale: Locale = { currency, timeZone };
  const chosen = props.days.at(-1)!;
  const weekBefore = props.days.at(-8)!;
  const shown = props.sort === "worst" ? [...stores].sort((a, b) => net(a) - net(b) || a.name.localeCompare(b.name)) : stores;
  const online = stores.filter((s) => s.online).length;
  const label = day === props.today ? "today" : `on ${shortDay(day)}`;
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
      <form method="get" action="/" class="row-form day-picker" data-testid="day-picker">
        <label>
          Business day <input type="date" name="day" value={day} max={props.today} required data-testid="day-input" />
        </label>
        <label>
          Stores{" "}
          <select name="sort" data-testid="sort-input">
            <option value="name" selected={props.sort === "name"}>
              by name
            </option>
            <option value="worst" selected={props.sort === "worst"}>
              worst day first
            </option>
          </select>
        </label>
        <button type="submit" data-testid="day-show">
          Show
        </button>
        <a href={`/?day=${shiftLink(day, -1)}&sort=${props.sort}`} data-testid="previous-day">
          ← previous day
        </a>
        {day < props.today && (
          <a href={`/?day=${shiftLink(day, 1)}&sort=${props.sort}`} data-testid="next-day">
            next day →
          </a>
        )}
        <small>
          "Today" is {props.today} ({timeZone}), head office's calendar; amounts in {currency}.
        </small>
      </form>
      <ChainTotals day={chosen} weekBefore={weekBefore} locale={locale} />
      <NetChart days={props.days} chosen={day} locale={locale} sort={props.sort === "worst" ? "worst" : undefined} />
      <NeedsAttention items={props.attention} now={now} />
      <h2>
        Stores {label}{" "}
        <small data-testid="online-count">
          {online} of {stores.length} online
        </small>
      </h2>
      <p>
        Dead letters (items head office could not merge):{" "}
        <a href="/dead-letters" data-testid="dead-letters-link">
          <strong data-testid="dead-letters">{props.deadLetters}</strong>
        </a>{" "}
        {props.deadLetters > 0 ? <span class="pill bad">look at them</span> : <span class="pill ok">none</span>}
      </p>
      {stores.length === 0 ? (
        <p class="empty">
          No store is registered yet: {may(me, "admin") ? <a href="/stores/new">register one</a> : "an admin registers them"}, or run 'shopflow hq store add
          --name "Store 12"'.
        </p>
      ) : (
        <StoresTable stores={shown} now={now} locale={locale} />
      )}
      <details class="by-day">
        <summary>
          <h2>
            Sales by day and store: {shortDay(day)} and a week earlier, {shortDay(weekBefore.business_date)}
          </h2>
        </summary>
        <ByDay rows={props.byDay} locale={locale} />
      </details>
    </HqPage>
  );
}

const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

const shiftLink = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function StoresTable(p: { stores: OverviewStore[]; now: Date; locale: Locale }) {
  const { now, locale } = p;
  return (
    <table class="grid" data-testid="stores">
      <thead>
        <tr>
          <th>Store</th>
          <th>Status</th>
          <th>Last contact</th>
          <th class="num">Items received</th>
          <th>Catalog</th>
          <th class="num">Sales</th>
          <th class="num">Gross</th>
          <th class="num">Refunds</th>
          <th class="num">Net</th>
          <th class="num">Dead letters</th>
        </tr>
      </thead>
      <tbody>
        {p.stores.map((s) => (
          <tr data-store-id={s.store_id}>
            <td>
              <a href={`/stores/${s.store_id}`} data-testid="store-link">
                {s.name}
              </a>{" "}
              {/* a short id to read (its start is the registration time, so its end too); the whole one on hover */}
              <code class="store-id" title={s.store_id}>
                {shortId(s.store_id)}
              </code>
            </td>
            <td data-testid="store-status">
              {s.online ? <span class="pill ok">online</span> : <span class="pill bad">offline</span>}
              {s.restored_epoch !== null && <span class="pill bad">restored epoch reported: not merged</span>}
              {s.clones > 0 && <span class="pill bad">clone seen</span>}
              {s.restored_epoch !== null && <RestoredEpochAction storeId={s.store_id} epoch={s.restored_epoch} />}
            </td>
            <td>
              <StoreContact link={s} now={now} />
            </td>
            <td class="num">{s.last_seq}</td>
            <td data-testid="store-catalog">
              {s.catalog_version === null ? "not reported" : `version ${s.catalog_version}`}
              {s.catalog_behind > 0 && s.last_contact_at !== null && <span class="pill warn">{s.catalog_behind} behind</span>}
              {s.catalog_problems.length > 0 && (
                <details>
                  <summary>
                    <span class="pill bad">
                      {s.catalog_problems.length} without {s.catalog_problems.length === 1 ? "its barcode" : "their barcodes"}
                    </span>
                  </summary>
                  <ul>
                    {s.catalog_problems.map((c) => (
                      <li>
                        {c.barcode}: {c.sku} (release {c.version}) — the store's own {c.held_by_sku} {c.held_by_name} holds it
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
            <td class="num" data-testid="sales-day">
              {s.day_count}
            </td>
            <td class="num" data-testid="gross-today">
              {money(s.day_total, locale)}
            </td>
            <td class="num" data-testid="refunds-today">
              {money(s.day_refund, locale)}
            </td>
            <td class={`num${net(s) < 0 ? " negative" : ""}`} data-testid="net-today">
              {money(net(s), locale)}
            </td>
            <td class="num">{s.dead_letters > 0 ? <a href={`/dead-letters?store=${s.store_id}`}>{s.dead_letters}</a> : s.dead_letters}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ByDay(p: { rows: DayRow[]; locale: Locale }) {
  if (p.rows.length === 0) return <p class="empty">No sales or returns in these days.</p>;
  return (
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
        {p.rows.map((d) => (
          <tr data-day={d.business_date} data-store-id={d.store_id}>
            <td>{shortDay(d.business_date)}</td>
            <td>{d.name}</td>
            <td class="num">{d.sales_count}</td>
            <td class="num">{money(d.total_minor, p.locale)}</td>
            <td class="num">{d.returns_count}</td>
            <td class="num">{money(d.refund_minor, p.locale)}</td>
            <td class="num">{money(d.net_minor, p.locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
