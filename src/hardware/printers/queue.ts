// Print jobs as rows in SQLite: queued with the sale in one transaction, claimed by the worker, printed at most once.
import type { Database } from "bun:sqlite";

export type JobKind = "receipt" | "copy" | "test" | "drawer" | "report";
export type JobState = "queued" | "printing" | "printed" | "failed" | "uncertain";

/** A sale's receipt as the register shows it. */
export type PrintState = { state: JobState | "none"; message: string; printer: string | null };

export type PrintJob = {
  id: number;
  printerId: number;
  kind: JobKind;
  saleId: string | null;
  payload: unknown;
  kickDrawer: boolean;
  state: JobState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  printedAt: string | null;
  requestedBy: string | null;
};

type Row = {
  id: number;
  printer_id: number;
  kind: JobKind;
  sale_id: string | null;
  payload: string;
  kick_drawer: number;
  state: JobState;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  printed_at: string | null;
  requested_by: string | null;
};

const toJob = (r: Row): PrintJob => ({
  id: r.id,
  printerId: r.printer_id,
  kind: r.kind,
  saleId: r.sale_id,
  payload: JSON.parse(r.payload),
  kickDrawer: r.kick_drawer === 1,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  printedAt: r.printed_at,
  requestedBy: r.requested_by,
});

/** Waits between attempts while a printer is away: 1 s, 2 s, 4 s ... at most 30 s. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export function printQueue(db: Database) {
  const insert = db.query<{ id: number }, [number, JobKind, string | null, string | null, string, number, string, string, string | null]>(
    `INSERT INTO print_jobs(printer_id, kind, sale_id, return_id, payload, kick_drawer, state, next_attempt_at, created_at, requested_by)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) RETURNING id`,
  );
  const due = db.query<Row, [string]>("SELECT * FROM print_jobs WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id");
  const claim = db.query("UPDATE print_jobs SET state = 'printing', attempts = attempts + 1 WHERE id = ? AND state = 'queued'");
  const printed = db.query("UPDATE print_jobs SET state = 'printed', printed_at = ?, last_error = NULL WHERE id = ?");
  const retry = db.query("UPDATE print_jobs SET state = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ?");
  const fail = db.query("UPDATE print_jobs SET state = 'failed', last_error = ? WHERE id = ?");
  const forSale = db.query<Row, [string]>("SELECT * FROM print_jobs WHERE sale_id = ? ORDER BY id");
  const forReturn = db.query<Row, [string]>("SELECT * FROM print_jobs WHERE return_id = ? ORDER BY id");
  const byId = db.query<Row, [number]>("SELECT * FROM print_jobs WHERE id = ?");
  const recent = db.query<Row, [number]>("SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?");

  return {
    /** Queue a job; call inside the transaction that makes the thing to print. */
    enqueue(job: {
      printerId: number;
      kind: JobKind;
      saleId?: string | null;
      /** A return's receipt: the return it belongs to (its sale keeps its one original receipt). */
      returnId?: string | null;
      payload: unknown;
      kickDrawer?: boolean;
      at: string;
      requestedBy?: string | null;
    }): number {
      return insert.get(
        job.printerId,
        job.kind,
        job.saleId ?? null,
        job.returnId ?? null,
        JSON.stringify(job.payload),
        job.kickDrawer ? 1 : 0,
        job.at,
        job.at,
        job.requestedBy ?? null,
      )!.id;
    },
    due: (now: string) => due.all(now).map(toJob),
    /** Take a job for printing; false when someone else took it. */
    claim: (id: number) => claim.run(id).changes === 1,
    printed: (id: number, at: string) => void printed.run(at, id),
    retryLater: (id: number, error: string, at: string) => void retry.run(error, at, id),
    fail: (id: number, error: string) => void fail.run(error, id),
    forSale: (saleId: string) => forSale.all(saleId).map(toJob),
    forReturn: (returnId: string) => forReturn.all(returnId).map(toJob),
    byId: (id: number) => {
      const r = byId.get(id);
      return r ? toJob(r) : null;
    },
    recent: (limit = 50) => recent.all(limit).map(toJob),
    /**
     * After a crash a job may have been half sent or fully printed: nobody can tell from here. It is not sent again by
     * itself; it waits for a person to look at the paper and press Reprint.
     */
    settleInterrupted(): number {
      return db
        .query(
          "UPDATE print_jobs SET state = 'uncertain', last_error = 'the server stopped while printing; check the paper, reprint if it did not come out' WHERE state = 'printing'",
        )
        .run().changes;
    },
  };
}

export type PrintQueue = ReturnType<typeof printQueue>;
