// Closed shifts for managers to look back on: the list by register and day, newest first, a page at a time, and each
// one's Z report exactly as it was stored when the shift closed (never counted again from today's tables).
import type { Database } from "bun:sqlite";
import type { ShiftReport } from "../../domain/shift/shift.ts";
import type { ClosedShiftView } from "../../views/reports/closed-shifts.tsx";

/** One closed shift in the list, as the page shows it, and its register's id. */
export type ClosedShift = ClosedShiftView & { registerId: number };

/** Filter and page: register (null: all), a store day's [start, end) instants (null: any), rows before `before` (id). */
export type ClosedShiftFilter = { registerId: number | null; start: string | null; end: string | null; before: number | null; limit: number };

type Row = {
  id: number;
  register_id: number;
  register: string;
  opened_at: string;
  closed_at: string;
  opened_by: string | null;
  closed_by: string | null;
  z_report: string | null;
};

/** A Z report as stored: older ones lack the refunds by tender and the returns count (zero then). */
export function readStoredZ(json: string): ShiftReport {
  const z = JSON.parse(json) as Partial<ShiftReport> & ShiftReport;
  return { ...z, refunds: z.refunds ?? [], returnsCount: z.returnsCount ?? 0, refundTotal: z.refundTotal ?? 0 };
}

export function closedShifts(db: Database) {
  const list = db.query<Row, [number | null, number | null, string | null, string | null, string | null, string | null, number | null, number | null, number]>(
    `SELECT s.id, s.register_id, r.name AS register, s.opened_at, s.closed_at, o.name AS opened_by, c.name AS closed_by, s.z_report
     FROM shifts s JOIN registers r ON r.id = s.register_id LEFT JOIN users o ON o.id = s.opened_by LEFT JOIN users c ON c.id = s.closed_by
     WHERE s.closed_at IS NOT NULL AND (?1 IS NULL OR s.register_id = ?2) AND (?3 IS NULL OR s.closed_at >= ?4) AND (?5 IS NULL OR s.closed_at < ?6)
       AND (?7 IS NULL OR s.id < ?8)
     ORDER BY s.id DESC LIMIT ?9`,
  );
  const one = db.query<Row, [number]>(
    `SELECT s.id, s.register_id, r.name AS register, s.opened_at, s.closed_at, o.name AS opened_by, c.name AS closed_by, s.z_report
     FROM shifts s JOIN registers r ON r.id = s.register_id LEFT JOIN users o ON o.id = s.opened_by LEFT JOIN users c ON c.id = s.closed_by
     WHERE s.id = ? AND s.closed_at IS NOT NULL`,
  );
  const registers = db.query<{ id: number; name: string }, []>("SELECT id, name FROM registers ORDER BY name");
  const toShift = (r: Row): ClosedShift => {
    const z = r.z_report ? readStoredZ(r.z_report) : null;
    return {
      id: r.id,
      registerId: r.register_id,
      register: r.register,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      openedBy: r.opened_by ?? "",
      closedBy: r.closed_by ?? "",
      salesCount: z?.salesCount ?? null,
      salesTotal: z?.salesTotal ?? null,
      overShort: z?.overShort ?? null,
    };
  };
  return {
    /** Newest first (shift ids grow with time); one more than `limit` is asked for, to know whether a next page exists. */
    list(f: ClosedShiftFilter): { shifts: ClosedShift[]; next: number | null } {
      const rows = list.all(f.registerId, f.registerId, f.start, f.start, f.end, f.end, f.before, f.before, f.limit + 1);
      const shifts = rows.slice(0, f.limit).map(toShift);
      return { shifts, next: rows.length > f.limit ? shifts.at(-1)!.id : null };
    },
    /** One closed shift with its stored Z report (null: no such closed shift). */
    byId(id: number): { shift: ClosedShift; report: ShiftReport | null } | null {
      const r = one.get(id);
      return r ? { shift: toShift(r), report: r.z_report ? readStoredZ(r.z_report) : null } : null;
    },
    registers: () => registers.all(),
  };
}
