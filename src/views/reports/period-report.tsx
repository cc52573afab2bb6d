// The shell of a report over a period of days (loss prevention, dead stock and slow movers): its heading, the form that
// picks the period, and the sentence when the period asked for was refused.
import type { Child } from "hono/jsx";
import { OfficePage } from "../ui/office.tsx";

export type PeriodView = { from: string; to: string };

/** Where the period form goes: the page's own address. */
export function PeriodForm({ action, period, children }: { action: string; period: PeriodView; children?: Child }) {
  return (
    <form method="get" action={action} class="filters">
      <label>
        From <input name="from" type="date" value={period.from} data-testid="period-from" />
      </label>
      <label>
        To <input name="to" type="date" value={period.to} data-testid="period-to" />
      </label>
      {children}
      <button type="submit">Show</button>
    </form>
  );
}

export function PeriodReportPage(props: { title: string; action: string; period: PeriodView; message?: string | undefined; children: Child }) {
  return (
    <OfficePage title={props.title}>
      {/* the reports' own styles: tables that scroll sideways on a narrow screen */}
      <link rel="stylesheet" href="/static/reports.css" />
      <h1>{props.title}</h1>
      <PeriodForm action={props.action} period={props.period} />
      {props.message && (
        <p class="message error" role="alert" data-testid="report-message">
          {props.message}
        </p>
      )}
      {props.children}
    </OfficePage>
  );
}
