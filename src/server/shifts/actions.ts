// What people do with a shift, each one transaction: the change, its audit row, the drawer or printer job, the journal
// entry and the outbox rows commit together or not at all (a crash between them leaves nothing half done).
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { currencyDigits, minorToDecimal } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { drawerDifference, type ShiftReport } from "../../domain/shift/shift.ts";
import type { CashMoved } from "../../views/shifts/pages.tsx";
import { type Actor, type Approver, type AuditLog, recordAs } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { journalWriter } from "../journal/journal.ts";
import type { Printing } from "../printing/actions.ts";
import type { StoreSettings } from "../settings/settings.ts";
import type { Shift, ShiftRecords } from "./records.ts";

/** A count of the drawer: the total, and note by note when it was counted so. */
export type Counted = { total: number; detail: Record<string, number> | null };

export type ShiftActionDeps = { db: Database; clock: Clock; settings: () => StoreSettings; shifts: ShiftRecords; audit: AuditLog; printing: Printing };

export function shiftActions(deps: ShiftActionDeps) {
  const { db, clock, shifts, audit, printing } = deps;
  const now = () => clock.now().toISOString();
  const record = recordAs(audit, clock);
  const journal = journalWriter(db);
  const openShiftOf = (who: Actor): Shift => {
    const s = shifts.current(who.registerId);
    if (!s) throw new Problem("no_open_shift", "Open a shift first.");
    return s;
  };

  /** A report as the register's printer prints it; `blind` leaves out what the drawer should hold, as the screen does. */
  function queueReport(who: Actor, r: ShiftReport, title: string, blind: boolean): number | null {
    const s = deps.settings();
    const m = (n: number) => minorToDecimal(n, currencyDigits(s.currency));
    const difference = r.overShort === null ? null : drawerDifference(r.overShort);
    const rows: [string, string][] = [
      ["Sales", String(r.salesCount)],
      ["Sales total", m(r.salesTotal)],
      ["Discounts", m(r.discountTotal)],
      ["Cancelled", String(r.cancelledCount)],
      ["Returns", String(r.returnsCount)],
      ...r.refunds.map((x) => [`Refunds ${x.method === "voucher" ? "store credit" : x.method}`, m(x.amount)] as [string, string]),
      ...r.taxes.map((t) => [`Tax ${t.taxClass} ${t.rateBp / 100}%`, m(t.tax)] as [string, string]),
      ...r.tenders.map((t) => [`Takings ${t.method}`, m(t.amount)] as [string, string]),
      ["Float", m(r.openingFloat)],
      ["Cash in", m(r.cashIn)],
      ["Cash out", m(r.cashOut)],
      ...(blind ? [] : [["Expected cash", m(r.expectedCash)] as [string, string]]),
      ...(r.countedCash !== null && difference && !blind
        ? [["Counted cash", m(r.countedCash)] as [string, string], [difference.label, m(difference.amount)] as [string, string]]
        : []),
    ];
    return printing.queueReport(
      who.registerId,
      { title, subtitle: [s.storeName, who.registerName, who.userName], rows, at: now(), timeZone: s.timeZone },
      who.userName,
    );
  }

  const tx = inOneTransaction(db);

  return {
    /** Open the register's shift with its float. */
    open: tx((who: Actor, float: Counted): Shift => {
      const shift = shifts.open(who.registerId, who.userId, float.total, float.detail, now());
      record(who, "shift.opened", String(shift.id), { float: float.total });
      return shift;
    }),

    /**
     * Cash put in or taken out of the drawer, with its reason, approved by a manager (the route asks, as for a no-sale:
     * either way the drawer opens). Its kick is queued with the movement (a register without a printer opens it with
     * the key).
     */
    moveCash: tx((who: Actor, kind: "in" | "out", amount: number, reason: string, approver: Approver): CashMoved => {
      const shift = openShiftOf(who);
      shifts.moveCash(shift.id, kind, amount, reason, who.userId, approver?.id ?? null, now());
      const drawerJob = printing.openDrawer(who.registerId, who.userName, { kind: `cash_${kind}`, reason });
      record(who, `cash.${kind}`, String(shift.id), { amount, reason, drawerJob }, approver);
      return { kind, amount, drawerOpened: drawerJob !== null };
    }),

    /** "No sale": the drawer opens without a sale — logged as a cash movement, in the journal and the audit log. */
    noSale: tx((who: Actor, reason: string, approver: Approver): void => {
      const shift = openShiftOf(who);
      shifts.moveCash(shift.id, "no_sale", 0, reason, who.userId, approver?.id ?? null, now());
      printing.openDrawer(who.registerId, who.userName, { kind: "no_sale", reason });
      record(who, "drawer.no_sale", null, { reason }, approver);
    }),

    /** Print the X report (nothing reset), logged. */
    printX: tx((who: Actor, blind: boolean): ShiftReport => {
      const shift = openShiftOf(who);
      const report = shifts.x(shift);
      record(who, "shift.x_report", String(shift.id), { printed: true, blind });
      queueReport(who, report, "X REPORT", blind);
      return report;
    }),

    /** Close the shift with the drawer's count: the Z report stored, sent to head office, printed and logged. */
    close: tx((who: Actor, counted: Counted, approver: Approver): ShiftReport => {
      const shift = openShiftOf(who);
      const report = shifts.close(shift.id, counted.total, counted.detail, who.userId, now());
      record(who, "shift.closed", String(shift.id), { counted: counted.total, expected: report.expectedCash, overShort: report.overShort }, approver);
      queueReport(who, report, "Z REPORT", false);
      return report;
    }),

    /**
     * A closed shift's Z report printed again, marked COPY, from the figures stored at closing (never counted anew), on
     * the printer of `who`'s register; written in the journal and the audit log with the print job, together.
     */
    reprintZ: tx((who: Actor, shiftId: number): ShiftReport => {
      const report = shifts.storedZ(shiftId);
      if (!report) throw new Problem("not_found", "That shift is not closed, or there is no such shift: choose one from the list of closed shifts.");
      const job = queueReport(who, report, "Z REPORT - COPY", false);
      if (job === null) throw new Problem("no_printer", "No printer is set up for this register. Add one under Devices.");
      journal(now(), "report.reprinted", String(shiftId), { report: "Z", job, by: who.userName });
      record(who, "shift.z_reprinted", String(shiftId), { job });
      return report;
    }),
  };
}

export type ShiftActions = ReturnType<typeof shiftActions>;
