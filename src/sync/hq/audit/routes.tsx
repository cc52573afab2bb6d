// The audit log (/audit) for admins: the page newest first with its filters, and the same lines as CSV.

import { type Context, Hono } from "hono";
import { csvTable } from "../../../server/platform/http/csv.ts";
import { render } from "../../../server/platform/http/render.ts";
import { HqAuditPage, shown } from "../../../views/hq/audit.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { AUDIT_EXPORT_LIMIT, AUDIT_PAGE, type AuditFilter, auditChoices, listAudit } from "./audit.ts";

/** The filter from the address, or the sentence that says what is wrong with it. */
function filterOf(c: Context<HqEnv>): { filter: AuditFilter; problem?: string } {
  const q = (name: string) => (c.req.query(name) ?? "").trim().slice(0, 100);
  const filter = { who: q("who"), action: q("action"), day: q("day") };
  if (filter.day && !/^\d{4}-\d{2}-\d{2}$/.test(filter.day)) {
    return { filter: { ...filter, day: "" }, problem: "Choose the day as a date (2026-12-04); the whole log is shown meanwhile." };
  }
  if (filter.day && Number.isNaN(Date.parse(`${filter.day}T00:00:00Z`))) {
    return { filter: { ...filter, day: "" }, problem: `${filter.day} is no day of the calendar; the whole log is shown meanwhile.` };
  }
  return { filter };
}

export function auditRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("admin"));

  app.get("/", async (c) => {
    const { filter, problem } = filterOf(c);
    const [rows, choices] = await Promise.all([listAudit(sql, { ...filter, timeZone: deps.timeZone }), auditChoices(sql)]);
    return render(c, <HqAuditPage rows={rows} filter={filter} choices={choices} limit={AUDIT_PAGE} problem={problem} />, problem ? 400 : 200);
  });

  // the same choice of lines as the page, all of them (up to the export limit), for a spreadsheet
  app.get("/export.csv", async (c) => {
    const { filter } = filterOf(c);
    const rows = await listAudit(sql, { ...filter, timeZone: deps.timeZone, limit: AUDIT_EXPORT_LIMIT });
    const body = csvTable(
      ["at_utc", "who", "action", "store", "subject", "before", "after", "before_json", "after_json"],
      rows.map((r) => [
        r.at.toISOString(),
        r.who,
        r.action,
        r.store_name ?? r.store_id ?? "",
        r.subject,
        shown(r.before),
        shown(r.after),
        r.before === null ? "" : JSON.stringify(r.before),
        r.after === null ? "" : JSON.stringify(r.after),
      ]),
    );
    const name = `hq-audit${filter.day ? `-${filter.day}` : ""}.csv`;
    return c.body(body, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` });
  });
  return app;
}
