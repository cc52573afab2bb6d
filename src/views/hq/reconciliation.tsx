// Reconciliation at head office: each store's own day totals against the sales head office holds, and the admin's
// decision on a store that reported a restored database.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { useHqPage, useMe } from "./context.ts";
import { HqPage, may } from "./layout.tsx";

// What a reconciliation row is, as head office computes it (sync/hq/reconciliation) and this page shows it.
// "unknown": the store's sales cannot arrive (its database, batches or token refused), so no comparison says anything.
export type ReconciliationStatus = "match" | "mismatch" | "not_reported" | "unknown";

/**
 * The store's latest word on a date: its own totals, as of an outbox position. Its refund figures are null when it
 * did not send them (a store from before returns): then only its sales are compared.
 */
export type StoreDayReport = {
  sales_count: number;
  total_minor: number;
  returns_count: number | null;
  refund_minor: number | null;
  epoch: string;
  as_of_seq: number;
  computed_at: string;
};

/** Sales (gross total) and returns (the goods' value refunded) of a store's day. */
export type SalesFigures = { sales_count: number; total_minor: number; returns_count: number; refund_minor: number };

/** The figures a store's report and head office can differ in. */
export type ReconciledFigure = "sales_count" | "total_minor" | "returns_count" | "refund_minor";

export type DayReconciliation = {
  store_id: string;
  name: string;
  business_date: string;
  reported: StoreDayReport | null;
  /** Head office's sales the report covers; null without a report. A sale that went to dead letters is missing here. */
  covered: SalesFigures | null;
  /** Everything head office holds for the store and date, sales sent after the report included. */
  held: SalesFigures;
  /** The figures the report states that head office's covered ones do not match; empty unless a mismatch. */
  differs: ReconciledFigure[];
  status: ReconciliationStatus;
  /** Why the day cannot be compared (not_reported, unknown); null when it was. */
  reason: string | null;
};

const statusWords: Record<DayReconciliation["status"], { text: string; kind: string }> = {
  match: { text: "match", kind: "ok" },
  mismatch: { text: "do not match", kind: "bad" },
  not_reported: { text: "no store total yet", kind: "warn" },
  unknown: { text: "cannot compare", kind: "bad" },
};

export type ReconciliationView = { from: string; to: string; days: DayReconciliation[]; problem?: string | undefined };

const figureWords: Record<ReconciledFigure, string> = {
  sales_count: "sales count",
  total_minor: "sales total",
  returns_count: "returns count",
  refund_minor: "refunds",
};

/** Sales (count · gross), then refunds and net: the store's refunds only when it sent them. */
function Figures(p: { f: { sales_count: number; total_minor: number; returns_count: number | null; refund_minor: number | null } }) {
  const { currency } = useHqPage();
  const money = (n: number) => formatMoney(n, currency);
  const { f } = p;
  return (
    <>
      {f.sales_count} · {money(f.total_minor)}
      <br />
      {f.refund_minor === null ? (
        <small>refunds not reported</small>
      ) : (
        <small>
          refunds {f.returns_count ?? "—"} · {money(f.refund_minor)} · net {money(f.total_minor - f.refund_minor)}
        </small>
      )}
    </>
  );
}

export function ReconciliationSection(p: ReconciliationView) {
  const off = p.days.filter((d) => d.status === "mismatch").length;
  const compared = p.days.filter((d) => d.status === "match").length;
  const notCompared = p.days.length - off - compared;
  return (
    <section data-testid="reconciliation" aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">
        Store totals against head office, {p.from} to {p.to}
      </h2>
      <form method="get" action="/reconciliation" class="inline-form">
        <label>
          From <input type="date" name="from" value={p.from} required />
        </label>
        <label>
          To <input type="date" name="to" value={p.to} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {p.problem && (
        <p class="message error" role="alert">
          {p.problem}
        </p>
      )}
      <p>
        A store reports its own totals of a business day when a shift closes and every few minutes while it sells. Head office compares them with the sales and
        returns it holds that the report covers (those the store sent before it): sales, and refunds when the store sends them. Net is sales less refunds.{" "}
        {off > 0 ? (
          <strong class="pill bad" data-testid="mismatches">
            {off} {off === 1 ? "day does" : "days do"} not match
          </strong>
        ) : (
          compared > 0 && (
            <span class="pill ok" data-testid="no-difference">
              no difference in the {compared} {compared === 1 ? "day" : "days"} compared
            </span>
          )
        )}{" "}
        {/* "no difference" only of what was compared: a day without the store's total, or one it cannot send, is said apart */}
        {notCompared > 0 && (
          <span class="pill warn" data-testid="not-compared">
            {notCompared} {notCompared === 1 ? "day" : "days"} not compared: see why beside each
          </span>
        )}
      </p>
      {p.days.length === 0 ? (
        <p class="empty">No store sold or reported in these days.</p>
      ) : (
        <table class="grid" data-testid="reconciliation-days">
          <thead>
            <tr>
              <th>Business date</th>
              <th>Store</th>
              <th class="num">Store says</th>
              <th class="num">Head office holds (covered)</th>
              <th class="num">Head office holds (all)</th>
              <th>Reported</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {p.days.map((d) => {
              const w = statusWords[d.status];
              return (
                <tr data-status={d.status} data-store-id={d.store_id}>
                  <td>{d.business_date}</td>
                  <td>{d.name}</td>
                  <td class="num" data-figures="reported">
                    {d.reported ? <Figures f={d.reported} /> : "—"}
                  </td>
                  <td class="num" data-figures="covered">
                    {d.covered ? <Figures f={d.covered} /> : "—"}
                  </td>
                  <td class="num" data-figures="held">
                    <Figures f={d.held} />
                  </td>
                  <td>{d.reported ? <time datetime={d.reported.computed_at}>{d.reported.computed_at.slice(0, 16).replace("T", " ")} UTC</time> : ""}</td>
                  <td>
                    <span class={`pill ${w.kind}`}>{w.text}</span>
                    {d.differs.length > 0 && <small data-testid="differs"> {d.differs.map((f) => figureWords[f]).join(", ")}</small>}
                    {d.status === "unknown" && d.reason && (
                      <small data-testid="reason">
                        <br />
                        {d.reason}
                      </small>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * A store reported another database epoch (restored or rebuilt): nothing of it is merged until an admin accepts it.
 * Accepting makes the store send its whole outbox again; sales head office has come back as duplicates.
 */
export function RestoredEpochAction(p: { storeId: string; epoch: string }) {
  if (!may(useMe(), "admin")) return null;
  return (
    <form method="post" action={`/stores/${p.storeId}/accept-epoch`} class="inline-form" data-testid="accept-epoch">
      <Csrf />
      <input type="hidden" name="epoch" value={p.epoch} />
      <label class="check">
        <input type="checkbox" name="confirm" value="1" required /> The store's database was restored on purpose
      </label>
      <button type="submit">Accept restored database</button>
    </form>
  );
}

export function ReconciliationPage(p: ReconciliationView) {
  return (
    <HqPage title="Reconciliation" active="reconciliation">
      <h1>Reconciliation</h1>
      <ReconciliationSection {...p} />
    </HqPage>
  );
}
