// The audit log as a manager reads it: filters, the rows, and the CSV export.
import { usePage } from "../ui/context.ts";
import { time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type AuditRow = {
  at: string;
  user: string | null;
  approvedBy: string | null;
  register: string | null;
  action: string;
  subject: string | null;
  detail: string;
};

export function AuditPage({ rows, filter }: { rows: AuditRow[]; filter: { user?: string; action?: string; from?: string; to?: string } }) {
  const { locale } = usePage();
  const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <OfficePage title="Audit log">
      <h1>Audit log</h1>
      <form method="get" action="/audit" class="filters">
        <label>
          User <input name="user" value={filter.user ?? ""} />
        </label>
        <label>
          Action starts with <input name="action" value={filter.action ?? ""} placeholder="sale., shift., drawer." />
        </label>
        <label>
          From <input name="from" type="date" value={filter.from ?? ""} />
        </label>
        <label>
          To <input name="to" type="date" value={filter.to ?? ""} />
        </label>
        <button type="submit">Filter</button>
        <a class="button" href={`/audit/export.csv${qs ? `?${qs}` : ""}`} data-testid="audit-csv">
          Export CSV
        </a>
      </form>
      <table class="grid" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Approved by</th>
            <th>Register</th>
            <th>What</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-testid="audit-row">
              <td>{time(r.at, locale)}</td>
              <td>{r.user ?? ""}</td>
              <td>{r.approvedBy ?? ""}</td>
              <td>{r.register ?? ""}</td>
              <td>
                {r.action}
                {r.subject ? ` ${r.subject}` : ""}
              </td>
              <td>
                <code>{r.detail}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </OfficePage>
  );
}
