// The audit log as a manager reads it: filters, each row in words, and the CSV export.
import { usePage } from "../ui/context.ts";
import { day, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import { type AuditRefs, type AuditRow, describe } from "./describe.ts";

export type { AuditRow };

/** The filter as the form shows it: days as the date inputs take them (2026-11-25), in the store's time zone. */
export type AuditFilterView = { user?: string | undefined; action?: string | undefined; from?: string | undefined; to?: string | undefined };

/** What the filter offers: the action's name, or the start of it that a group of actions shares. */
const actionChoices: [value: string, label: string][] = [
  ["", "Everything"],
  ["sale.", "All changes to sales"],
  ["sale.price_overridden", "Price changes"],
  ["sale.discount", "Discounts"],
  ["sale.payment_removed", "Payments removed"],
  ["sale.cancelled", "Cancelled sales"],
  ["drawer.", "Drawer opened (no sale)"],
  ["cash.", "Cash in and out"],
  ["shift.", "Shifts and X reports"],
  ["approval.", "Refused approvals"],
  ["user.", "Users and sign-ins"],
  ["device.", "Registers paired"],
  ["printer.", "Printers"],
  ["settings.", "Settings"],
];

/** "3 entries from 24/11/2026 to 25/11/2026 (store time), newest first." */
function summary(count: number, more: boolean, f: AuditFilterView): string {
  const period = f.from && f.to ? ` from ${day(f.from)} to ${day(f.to)}` : f.from ? ` since ${day(f.from)}` : f.to ? ` up to ${day(f.to)}` : "";
  const entries = count === 0 ? "Nothing recorded" : count === 1 ? "1 entry" : more ? `The latest ${count} entries` : `${count} entries`;
  return `${entries}${period}${period ? " (store time)" : ""}${count > 1 ? ", newest first" : ""}.`;
}

export function AuditPage(props: { rows: AuditRow[]; more?: boolean; refs: AuditRefs; filter: AuditFilterView; message?: string | undefined }) {
  const { rows, refs, filter, message } = props;
  const { locale } = usePage();
  const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  const choices = actionChoices.some(([v]) => v === (filter.action ?? ""))
    ? actionChoices
    : [...actionChoices, [filter.action!, `Starting with “${filter.action}”`]];
  return (
    <OfficePage title="Audit log">
      <h1>Audit log</h1>
      <form method="get" action="/audit" class="filters">
        <label>
          User <input name="user" value={filter.user ?? ""} placeholder="Anyone" />
        </label>
        <label>
          What
          <select name="action" data-testid="audit-action">
            {choices.map(([value, label]) => (
              <option value={value} selected={value === (filter.action ?? "")}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input name="from" type="date" value={filter.from ?? ""} data-testid="audit-from" />
        </label>
        <label>
          To <input name="to" type="date" value={filter.to ?? ""} data-testid="audit-to" />
        </label>
        <button type="submit">Filter</button>
        <a class="button" href={`/audit/export.csv${qs ? `?${qs}` : ""}`} data-testid="audit-csv">
          Export CSV
        </a>
      </form>
      {message ? (
        <p class="message error" role="alert" data-testid="audit-message">
          {message}
        </p>
      ) : (
        <p data-testid="audit-summary">{summary(rows.length, props.more === true, filter)}</p>
      )}
      {message ? null : (
        <table class="grid" data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Approved by</th>
              <th>Register</th>
              <th>What</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const said = describe(r, refs, locale);
              return (
                <tr data-testid="audit-row" data-action={r.action}>
                  <td>{time(r.at, locale)}</td>
                  <td>{r.user ?? ""}</td>
                  <td>{r.approvedBy ?? ""}</td>
                  <td>{r.register ?? ""}</td>
                  <td>{said.what}</td>
                  <td data-testid="audit-detail">
                    {said.sentence}
                    {said.facts.map(([label, value], i) => (
                      <>
                        {said.sentence || i > 0 ? <br /> : ""}
                        {label}: {value}
                      </>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </OfficePage>
  );
}
