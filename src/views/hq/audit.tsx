// Head office's audit log as an admin reads it: who changed what, before → after, newest first, with filters and CSV.
import { HqPage, utc } from "./layout.tsx";

export type HqAuditRowView = {
  id: number;
  at: Date;
  who: string;
  action: string;
  store_name: string | null;
  subject: string;
  before: unknown;
  after: unknown;
};

export type HqAuditFilterView = { who: string; action: string; day: string };

/** A value of before/after in a few words: `role: viewer`, lists joined, objects as key: value. */
export function shown(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(shown).join(", ");
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k.replaceAll("_", " ")}: ${shown(x) || "—"}`)
      .join("; ");
  }
  return String(v);
}

export function HqAuditPage(props: {
  rows: HqAuditRowView[];
  filter: HqAuditFilterView;
  choices: { who: string[]; actions: string[] };
  limit: number;
  problem?: string | undefined;
}) {
  const { rows, filter } = props;
  const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <HqPage title="Audit log" active="audit">
      <h1>Audit log</h1>
      <p>Every change made at head office: who, what, and the thing before → after. Nothing here can be edited.</p>
      <form method="get" action="/audit" class="filters row-form" data-testid="audit-filters">
        <label class="field">
          <span>Who</span>
          <select name="who" data-testid="audit-who">
            <option value="">Anyone</option>
            {props.choices.who.map((w) => (
              <option value={w} selected={w === filter.who}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>What</span>
          <select name="action" data-testid="audit-action">
            <option value="">Everything</option>
            {props.choices.actions.map((a) => (
              <option value={a} selected={a === filter.action}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Day</span>
          <input name="day" type="date" value={filter.day} data-testid="audit-day" />
        </label>
        <button type="submit">Filter</button>
        <a class="button" href={`/audit/export.csv${qs ? `?${qs}` : ""}`} data-testid="audit-csv" download>
          Export CSV
        </a>
      </form>
      {props.problem ? (
        <p class="message error" role="alert" data-testid="audit-problem">
          {props.problem}
        </p>
      ) : (
        <p data-testid="audit-summary">
          {rows.length === 0
            ? "Nothing recorded for this choice."
            : rows.length >= props.limit
              ? `The latest ${rows.length} changes, newest first; narrow the filter or export CSV for all of them.`
              : `${rows.length} ${rows.length === 1 ? "change" : "changes"}, newest first.`}
        </p>
      )}
      <table class="grid" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Concerning</th>
            <th>Before</th>
            <th>After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-testid="audit-row" data-action={r.action}>
              <td class="nowrap">{utc(r.at)}</td>
              <td>{r.who}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td>
                {r.subject}
                {r.store_name ? ` · ${r.store_name}` : ""}
              </td>
              <td data-testid="audit-before">{shown(r.before)}</td>
              <td data-testid="audit-after">{shown(r.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </HqPage>
  );
}
