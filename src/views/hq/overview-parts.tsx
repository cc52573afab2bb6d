// The overview's top half: the chain's day beside the same weekday a week earlier, the fortnight's chart, and the list
// of what needs attention. Server-rendered SVG with classes from hq.css: nothing inline, so the strict CSP holds.
import { type Locale, money, day as shortDay } from "../ui/format.ts";
import { ago } from "./stores.tsx";

/** The chain's figures of one business day (every store's added). */
export type ChainDay = { business_date: string; sales_count: number; total_minor: number; returns_count: number; refund_minor: number; net_minor: number };

/** Something a person at head office should look at, with the store it is about. */
export type Attention = { store_id: string; name: string } & (
  | { kind: "clone"; count: number }
  | { kind: "restored" }
  | { kind: "journal"; seq: number; reason: string }
  | { kind: "silent"; since: Date | null; seconds: number | null }
  | { kind: "dead_letters"; count: number }
  | { kind: "reconciliation"; days: string[] }
  | { kind: "catalog"; count: number; version: number | null }
);

const weekday = (isoDay: string) => new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "UTC" }).format(new Date(`${isoDay}T00:00:00Z`));

/** "+12.5 %", "−3.0 %", or "new" when the week before had nothing to compare with. */
export function change(now: number, before: number): { text: string; kind: "up" | "down" | "same" } {
  if (before === 0) return now === 0 ? { text: "±0 %", kind: "same" } : { text: "new", kind: now > 0 ? "up" : "down" };
  const pct = ((now - before) / Math.abs(before)) * 100;
  if (Math.abs(pct) < 0.05) return { text: "±0 %", kind: "same" };
  return { text: `${pct > 0 ? "+" : "−"}${Math.abs(pct).toFixed(1)} %`, kind: pct > 0 ? "up" : "down" };
}

/** Average basket: gross sales per sale, rounded to the minor unit; 0 without sales. */
export const basket = (d: ChainDay) => (d.sales_count === 0 ? 0 : Math.round(d.total_minor / d.sales_count));

export function ChainTotals(p: { day: ChainDay; weekBefore: ChainDay; locale: Locale }) {
  const { day, weekBefore: w, locale } = p;
  const figures = [
    { key: "sales", label: "Sales", now: day.total_minor, before: w.total_minor, money: true },
    { key: "refunds", label: "Refunds", now: day.refund_minor, before: w.refund_minor, money: true },
    { key: "net", label: "Net", now: day.net_minor, before: w.net_minor, money: true },
    { key: "count", label: "Number of sales", now: day.sales_count, before: w.sales_count, money: false },
    { key: "basket", label: "Average basket", now: basket(day), before: basket(w), money: true },
  ];
  return (
    <section class="chain-totals" aria-label="The chain's day" data-testid="chain-totals">
      {figures.map((f) => {
        const c = change(f.now, f.before);
        return (
          <div class="figure" data-testid={`chain-${f.key}`}>
            <span class="figure-label">{f.label}</span>
            <strong class="figure-value" data-testid="now">
              {f.money ? money(f.now, locale) : f.now.toLocaleString("en-GB")}
            </strong>
            <small class="figure-before">
              <span class={`change ${c.kind}`} data-testid="change">
                {c.text}
              </span>{" "}
              vs {weekday(w.business_date)} {shortDay(w.business_date)}:{" "}
              <span data-testid="before">{f.money ? money(f.before, locale) : f.before.toLocaleString("en-GB")}</span>
            </small>
          </div>
        );
      })}
    </section>
  );
}

const W = 560;
const H = 150;
const TOP = 8;
const AXIS = 22;

/** Net sales per day as bars, the chosen day marked; each bar opens its day. Negative nets hang below the line. */
export function NetChart(p: { days: ChainDay[]; chosen: string; locale: Locale; sort?: string | undefined }) {
  const { days, locale } = p;
  const top = Math.max(0, ...days.map((d) => d.net_minor));
  const bottom = Math.min(0, ...days.map((d) => d.net_minor));
  const span = top - bottom || 1;
  const plot = H - TOP - AXIS;
  const zero = TOP + (top / span) * plot;
  const slot = W / days.length;
  const sort = p.sort ? `&sort=${p.sort}` : "";
  return (
    <figure class="net-chart" data-testid="net-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="net-chart-title" class="chart">
        <title id="net-chart-title">
          Net sales per day, {shortDay(days[0]!.business_date)} to {shortDay(days.at(-1)!.business_date)}
        </title>
        <line x1="0" x2={W} y1={zero} y2={zero} class="chart-axis" />
        {days.map((d, i) => {
          const h = (Math.abs(d.net_minor) / span) * plot;
          const y = d.net_minor >= 0 ? zero - h : zero;
          const cls = `chart-bar${d.business_date === p.chosen ? " chosen" : ""}${d.net_minor < 0 ? " negative" : ""}`;
          return (
            <a href={`/?day=${d.business_date}${sort}`} data-day={d.business_date} data-net={d.net_minor}>
              <title>
                {weekday(d.business_date)} {shortDay(d.business_date)}: net {money(d.net_minor, locale)} ({d.sales_count} sales)
              </title>
              <rect x={i * slot + 4} y={y} width={slot - 8} height={Math.max(h, d.net_minor === 0 ? 0 : 1)} class={cls} />
              <text x={i * slot + slot / 2} y={H - 6} class={`chart-label${d.business_date === p.chosen ? " chosen" : ""}`}>
                {weekday(d.business_date).slice(0, 2)} {Number(d.business_date.slice(8))}
              </text>
            </a>
          );
        })}
      </svg>
      <figcaption>Net per day (sales less refunds), highest {money(top, locale)}. Pick a bar to see that day.</figcaption>
    </figure>
  );
}

function span(s: number): string {
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** One problem in a sentence, with where to act on it. */
function Problem(p: { a: Attention; now: Date }) {
  const { a } = p;
  const store = (
    <a href={`/stores/${a.store_id}`} data-testid="attention-store">
      {a.name}
    </a>
  );
  switch (a.kind) {
    case "clone":
      return (
        <>
          <span class="pill bad">clone</span> {store}: another machine uses its id and token ({a.count} {a.count === 1 ? "installation" : "installations"});
          nothing it sends is merged.
        </>
      );
    case "restored":
      return (
        <>
          <span class="pill bad">database</span> {store} sends from a restored database that waits to be accepted: its sales cannot arrive until then.
        </>
      );
    case "journal":
      return (
        <>
          <span class="pill bad">journal</span> {store}: its journal breaks at entry {a.seq} ({a.reason}). Ask the store to run 'shopflow journal verify' and
          keep its database as it is.
        </>
      );
    case "silent":
      return (
        <>
          <span class="pill bad">offline</span> {store}:{" "}
          {a.since && a.seconds !== null ? (
            <>
              not heard from for {span(a.seconds)} (last {ago(a.since, p.now)})
            </>
          ) : (
            "never heard from"
          )}
          .
        </>
      );
    case "dead_letters":
      return (
        <>
          <span class="pill bad">dead letters</span> {store}:{" "}
          <a href={`/dead-letters?store=${a.store_id}`} data-testid="attention-dead-letters">
            {a.count} {a.count === 1 ? "item" : "items"} set aside
          </a>
          , not merged until someone replays or discards {a.count === 1 ? "it" : "them"}.
        </>
      );
    case "reconciliation":
      return (
        <>
          <span class="pill warn">totals differ</span> {store}: its own totals and head office's differ on{" "}
          <a href={`/reconciliation?from=${a.days[0]}&to=${a.days.at(-1)}`}>{a.days.map(shortDay).join(", ")}</a>.
        </>
      );
    case "catalog":
      return (
        <>
          <span class="pill warn">old catalog</span> {store}: on {a.version === null ? "no reported catalog" : `catalog version ${a.version}`}, {a.count}{" "}
          {a.count === 1 ? "release" : "releases"} behind.
        </>
      );
    default: {
      const _exhaustive: never = a;
      return _exhaustive;
    }
  }
}

export function NeedsAttention(p: { items: Attention[]; now: Date }) {
  return (
    <section class="attention" aria-labelledby="attention-title" data-testid="attention">
      <h2 id="attention-title">Needs attention</h2>
      {p.items.length === 0 ? (
        <p class="empty" data-testid="attention-none">
          Nothing: every store was heard from in the last few minutes, nothing is set aside, totals agree and catalogs are current.
        </p>
      ) : (
        <ul class="attention-list">
          {p.items.map((a) => (
            <li data-kind={a.kind} data-store={a.store_id} data-testid="attention-item">
              <Problem a={a} now={p.now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
