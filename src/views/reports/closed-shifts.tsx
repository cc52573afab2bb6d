// Closed shifts for managers: the list by register and day, newest first, and one shift's Z report as it was stored at
// closing, with "Print again" (marked COPY).
import type { ShiftReport } from "../../domain/shift/shift.ts";
import { ReportView } from "../shifts/pages.tsx";
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

/** One closed shift in the list. Its business day is the store's calendar day it closed on. */
export type ClosedShiftView = {
  id: number;
  register: string;
  openedAt: string;
  closedAt: string;
  openedBy: string;
  closedBy: string;
  salesCount: number | null;
  salesTotal: number | null;
  overShort: number | null;
};

export function ClosedShiftsPage(props: {
  shifts: ClosedShiftView[];
  registers: { id: number; name: string }[];
  filter: { register: number | null; day: string | null };
  next: string | null;
  message?: string;
}) {
  const { shifts, registers, filter, next, message } = props;
  const { locale } = usePage();
  return (
    <OfficePage title="Closed shifts">
      <h1>Closed shifts and their Z reports</h1>
      <form method="get" action="/reports/shifts" class="filters">
        <label>
          Register
          <select name="register">
            <option value="">All</option>
            {registers.map((r) => (
              <option value={String(r.id)} selected={r.id === filter.register}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Day closed <input name="day" type="date" value={filter.day ?? ""} />
        </label>
        <button type="submit">Show</button>
      </form>
      {message && (
        <p class="message error" role="alert" data-testid="report-message">
          {message}
        </p>
      )}
      {shifts.length === 0 ? (
        <p data-testid="shifts-empty">No closed shift here.</p>
      ) : (
        <table class="grid" data-testid="shifts-table">
          <thead>
            <tr>
              <th>Closed</th>
              <th>Register</th>
              <th>Opened</th>
              <th>By</th>
              <th>Sales</th>
              <th>Total</th>
              <th>Over / short</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shifts.map((s) => (
              <tr data-testid="shift-row" data-shift={String(s.id)}>
                <td>{time(s.closedAt, locale)}</td>
                <td>{s.register}</td>
                <td>{time(s.openedAt, locale)}</td>
                <td>{s.openedBy === s.closedBy ? s.openedBy : `${s.openedBy} / ${s.closedBy}`}</td>
                <td>{s.salesCount ?? ""}</td>
                <td>{s.salesTotal === null ? "" : money(s.salesTotal, locale)}</td>
                <td>{s.overShort === null ? "" : money(s.overShort, locale)}</td>
                <td>
                  <a href={`/reports/shifts/${s.id}`}>Z report</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <a class="button" href={next} data-testid="shifts-next">
          Older shifts
        </a>
      )}
    </OfficePage>
  );
}

export function ClosedShiftPage({ shift, report, message }: { shift: ClosedShiftView; report: ShiftReport | null; message?: string }) {
  const { locale } = usePage();
  return (
    <OfficePage title={`Z report · ${shift.register}`}>
      <h1>
        Z report · {shift.register} · closed {time(shift.closedAt, locale)}
      </h1>
      <p>
        Opened {time(shift.openedAt, locale)} by {shift.openedBy}, closed by {shift.closedBy}. The figures are those stored when the shift closed.
      </p>
      {message && (
        <p class="message info" role="status" data-testid="reprint-message">
          {message}
        </p>
      )}
      {report ? <ReportView report={report} title="Z report (as closed)" /> : <p>This shift was closed without a stored Z report.</p>}
      {report && (
        <form method="post" action={`/reports/shifts/${shift.id}/reprint`}>
          <Csrf />
          <button type="submit" data-testid="reprint-z">
            Print again (marked COPY)
          </button>
        </form>
      )}
      <a class="button back" href="/reports/shifts">
        Back to closed shifts
      </a>
    </OfficePage>
  );
}
