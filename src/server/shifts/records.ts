// The shift's rows: one open per register, the float, cash in and out, the X figures any time and the Z report that
// closes it. Building blocks: a person's action on a shift is one transaction in actions.ts.

import type { Database } from "bun:sqlite";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type ShiftFigures, type ShiftReport, shiftReport } from "../../domain/shift/shift.ts";
import type { ShiftClosedPayload } from "../../sync/contracts.ts";
import type { DayTotals } from "../head-office/day-totals.ts";
import { outboxWriter } from "../head-office/outbox.ts";

export type Shift = { id: number; registerId: number; openedBy: number; openedAt: string; openingFloat: number; closedAt: string | null };

type Row = { id: number; register_id: number; opened_by: number; opened_at: string; opening_float: number; closed_at: string | null };
const toShift = (r: Row): Shift => ({
  id: r.id,
  registerId: r.register_id,
  openedBy: r.opened_by,
  openedAt: r.opened_at,
  openingFloat: r.opening_float,
  closedAt: r.closed_at,
});

/** Closing a shift reports it to head office, with the day's totals, in the closing transaction. */
export type ShiftReporting = { timeZone: () => string; dayTotals: DayTotals };

export function shiftRecords(db: Database, reporting: ShiftReporting) {
  const outbox = outboxWriter(db);
  const userName = db.query<{ name: string }, [number]>("SELECT name FROM users WHERE id = ?");
  const open = db.query<Row, [number]>("SELECT * FROM shifts WHERE register_id = ? AND closed_at IS NULL");
  const byId = db.query<Row, [number]>("SELECT * FROM shifts WHERE id = ?");
  const q = {
    sales: db.query<{ n: number; total: number | null; discount: number | null; rounding: number | null; change: number | null }, [number]>(
      "SELECT count(*) AS n, sum(total) AS total, sum(discount_total) AS discount, sum(rounding) AS rounding, sum(change_due) AS change FROM sales WHERE shift_id = ? AND status = 'completed'",
    ),
    cancelled: db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM sales WHERE shift_id = ? AND status = 'cancelled'"),
    taxes: db.query<{ tax_class: string; rate_bp: number; net: number; tax: number }, [number]>(
      `SELECT t.tax_class, t.rate_bp, sum(t.net) AS net, sum(t.tax) AS tax FROM sale_taxes t JOIN sales s ON s.id = t.sale_id
       WHERE s.shift_id = ? AND s.status = 'completed' GROUP BY t.tax_class, t.rate_bp ORDER BY t.tax_class, t.rate_bp`,
    ),
    tenders: db.query<{ method: string; amount: number }, [number]>(
      `SELECT p.method, sum(p.amount) AS amount FROM sale_payments p JOIN sales s ON s.id = p.sale_id
       WHERE s.shift_id = ? AND s.status = 'completed' GROUP BY p.method ORDER BY p.method`,
    ),
    refunds: db.query<{ method: string; amount: number }, [number]>(
      `SELECT f.method, sum(f.amount) AS amount FROM return_refunds f JOIN returns r ON r.id = f.return_id
       WHERE r.shift_id = ? GROUP BY f.method ORDER BY f.method`,
    ),
    returns: db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM returns WHERE shift_id = ?"),
    moves: db.query<{ kind: string; amount: number; n: number }, [number]>(
      "SELECT kind, sum(amount) AS amount, count(*) AS n FROM cash_movements WHERE shift_id = ? GROUP BY kind",
    ),
  };

  function figures(shift: Shift): ShiftFigures {
    const s = q.sales.get(shift.id)!;
    const tenders = q.tenders.all(shift.id).map((t) => ({ method: t.method, amount: t.method === "cash" ? t.amount - (s.change ?? 0) : t.amount }));
    const moves = Object.fromEntries(q.moves.all(shift.id).map((m) => [m.kind, m]));
    const refunds = q.refunds.all(shift.id);
    return {
      openingFloat: shift.openingFloat,
      salesCount: s.n,
      salesTotal: s.total ?? 0,
      discountTotal: s.discount ?? 0,
      roundingTotal: s.rounding ?? 0,
      cancelledCount: q.cancelled.get(shift.id)!.n,
      refundTotal: refunds.reduce((sum, r) => sum + r.amount, 0),
      refunds,
      returnsCount: q.returns.get(shift.id)!.n,
      taxes: q.taxes.all(shift.id).map((t) => ({ taxClass: t.tax_class, rateBp: t.rate_bp, net: t.net, tax: t.tax })),
      tenders,
      cashIn: moves.in?.amount ?? 0,
      cashOut: moves.out?.amount ?? 0,
      noSales: moves.no_sale?.n ?? 0,
    };
  }

  return {
    current(registerId: number): Shift | null {
      const r = open.get(registerId);
      return r ? toShift(r) : null;
    },
    byId(id: number): Shift | null {
      const r = byId.get(id);
      return r ? toShift(r) : null;
    },
    open(registerId: number, userId: number, float: number, detail: Record<string, number> | null, at: string): Shift {
      if (!Number.isSafeInteger(float) || float < 0) throw new Problem("invalid_float", "The opening float is an amount of zero or more.");
      return db
        .transaction(() => {
          if (open.get(registerId)) throw new Problem("shift_open", "This register already has an open shift.");
          db.query("INSERT INTO shifts(register_id, opened_by, opened_at, opening_float, float_detail) VALUES (?, ?, ?, ?, ?)").run(
            registerId,
            userId,
            at,
            float,
            detail ? JSON.stringify(detail) : null,
          );
          return toShift(open.get(registerId)!);
        })
        .immediate();
    },
    moveCash(shiftId: number, kind: "in" | "out" | "no_sale", amount: number, reason: string, userId: number, approvedBy: number | null, at: string): void {
      if (!Number.isSafeInteger(amount) || amount < 0 || (kind !== "no_sale" && amount === 0)) {
        throw new Problem("invalid_amount", "Type an amount more than zero.");
      }
      if (!reason.trim()) throw new Problem("reason_required", "Say why the cash moves.");
      db.query("INSERT INTO cash_movements(shift_id, kind, amount, reason, user_id, approved_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
        shiftId,
        kind,
        amount,
        reason.trim().slice(0, 200),
        userId,
        approvedBy,
        at,
      );
    },
    /** X: the figures so far, nothing reset. */
    x(shift: Shift): ShiftReport {
      return shiftReport("X", figures(shift), null);
    },
    /** Z: counts the drawer, stores the report and closes the shift for good, in one transaction. */
    close(shiftId: number, counted: number, detail: Record<string, number> | null, userId: number, at: string): ShiftReport {
      if (!Number.isSafeInteger(counted) || counted < 0) throw new Problem("invalid_count", "The counted cash is an amount of zero or more.");
      return db
        .transaction(() => {
          const r = byId.get(shiftId);
          if (!r || r.closed_at) throw new Problem("shift_closed", "This shift is closed already.");
          const open = db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM sales WHERE shift_id = ? AND status IN ('open', 'parked')").get(shiftId)!.n;
          const report = shiftReport("Z", figures(toShift(r)), counted);
          db.query("UPDATE shifts SET closed_by = ?, closed_at = ?, counted_cash = ?, count_detail = ?, z_report = ? WHERE id = ?").run(
            userId,
            at,
            counted,
            detail ? JSON.stringify(detail) : null,
            JSON.stringify({ ...report, openSalesLeft: open }),
            shiftId,
          );
          const day = businessDate(new Date(at), reporting.timeZone());
          const names = { openedBy: userName.get(r.opened_by)?.name ?? "", closedBy: userName.get(userId)?.name ?? "" };
          // the id alone would repeat in a database restored from a backup; with its opening time it does not
          outbox("shift_closed", `${shiftId}@${r.opened_at}`, shiftClosedDocument(toShift(r), at, day, names, report), at);
          // the days the shift sold on: the day it opened (a shift over midnight) and the day it closed
          for (const d of new Set([businessDate(new Date(r.opened_at), reporting.timeZone()), day])) reporting.dayTotals.append(d, at);
          return report;
        })
        .immediate();
    },
    /** Sales still open or parked on a register: left out of a Z report closed now. */
    openSales(registerId: number): number {
      return db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM sales WHERE register_id = ? AND status IN ('open', 'parked')").get(registerId)!.n;
    },
    storedZ(shiftId: number): ShiftReport | null {
      const r = db.query<{ z_report: string | null }, [number]>("SELECT z_report FROM shifts WHERE id = ?").get(shiftId);
      return r?.z_report ? (JSON.parse(r.z_report) as ShiftReport) : null;
    },
  };
}

export type ShiftRecords = ReturnType<typeof shiftRecords>;

/** A closed shift as head office receives it: the Z report's figures in minor units, names rather than ids. */
function shiftClosedDocument(shift: Shift, closedAt: string, day: string, names: { openedBy: string; closedBy: string }, z: ShiftReport): ShiftClosedPayload {
  return {
    shift_id: shift.id,
    register_id: shift.registerId,
    opened_at: shift.openedAt,
    closed_at: closedAt,
    business_date: day,
    opened_by: names.openedBy,
    closed_by: names.closedBy,
    opening_float: z.openingFloat,
    sales_count: z.salesCount,
    sales_total: z.salesTotal,
    discount_total: z.discountTotal,
    rounding_total: z.roundingTotal,
    cancelled_count: z.cancelledCount,
    refund_total: z.refundTotal,
    tax_total: z.taxTotal,
    taxes: z.taxes.map((t) => ({ tax_class: t.taxClass, rate_bp: t.rateBp, net: t.net, tax: t.tax })),
    tenders: z.tenders.map((t) => ({ method: t.method, amount: t.amount })),
    cash_in: z.cashIn,
    cash_out: z.cashOut,
    no_sales: z.noSales,
    cash_sales: z.cashSales,
    expected_cash: z.expectedCash,
    counted_cash: z.countedCash,
    over_short: z.overShort,
  };
}
