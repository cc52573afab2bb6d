// The print worker: drains due jobs printer by printer, checks paper and cover first where the link answers,
// retries with back-off while a printer is away, and polls printer status between jobs.
import { maskCardNumbers } from "../../domain/kernel/card-data.ts";
import type { Clock } from "../../domain/kernel/clock.ts";
import { backoffMs, type PrintJob, type PrintQueue } from "./queue.ts";
import type { PrinterConfig, PrinterRegistry } from "./registry.ts";
import { conditionOf } from "./status.ts";
import { PrinterError, type PrinterStatus, type Transport, unreachableStatus } from "./transport.ts";

export type PrintWorkerDeps = {
  clock: Clock;
  queue: PrintQueue;
  printers: PrinterRegistry;
  transportFor: (printer: PrinterConfig, jobId: number | null) => Transport;
  render: (job: PrintJob, printer: PrinterConfig) => Uint8Array;
  /** How often to ask each printer how it is, in ms. */
  statusEveryMs?: number;
  /** A printer's status is not what it was (paper out, back online): told once it is recorded, to show it live. */
  onStatusChanged?: (printerId: number) => void;
  /** Where a pass that failed is logged (the store's logger; hardware does not import it). Default: stderr. */
  log?: WorkerLog;
};

/** What the worker needs of a logger: the store's (server/platform/log) is one. */
export type WorkerLog = { error(event: string, fields: { msg?: string; err?: unknown }): void };

// a worker built without one (a test of the worker alone) says it on stderr as before, card numbers masked
const stderrOnly: WorkerLog = { error: (event, fields) => console.error(maskCardNumbers(`${event}: ${fields.msg ?? ""} ${String(fields.err)}`)) };

/** Why a printer cannot take a job now, in words a cashier can act on; null when it can. */
export function blockingReason(s: PrinterStatus): { code: PrinterError["code"]; message: string } | null {
  const c = conditionOf(s);
  return c.blocksPrinting && c.code !== "paper_low" && c.code !== "ready" ? { code: c.code, message: c.message } : null;
}

/** What a status says, without when it was read: two readings alike say nothing new. */
const gist = (s: PrinterStatus) => JSON.stringify([s.online, s.paper, s.coverOpen, s.drawerOpen, s.error]);

function describe(e: unknown): string {
  if (e instanceof PrinterError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function printWorker(deps: PrintWorkerDeps) {
  const { clock, queue, printers, transportFor, render } = deps;
  const statusEvery = deps.statusEveryMs ?? 10_000;
  const log = deps.log ?? stderrOnly;
  const failed = (err: unknown) => log.error("print_worker.failed", { msg: "a pass of the print worker failed", err });
  const lastPoll = new Map<number, number>();
  let busy: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let halted = false;
  const kicks = new Set<ReturnType<typeof setTimeout>>();
  const lastSaid = new Map<number, string>();

  /** Record what the printer says of itself; a change from what it said last is told (onStatusChanged). */
  function record(printer: PrinterConfig, status: PrinterStatus): void {
    printers.recordStatus(printer.id, status, clock.now().toISOString());
    const said = gist(status);
    const before = lastSaid.get(printer.id) ?? (printer.status ? gist(printer.status) : null);
    lastSaid.set(printer.id, said);
    if (said !== before) deps.onStatusChanged?.(printer.id);
  }

  async function printOne(job: PrintJob, printer: PrinterConfig): Promise<boolean> {
    if (!queue.claim(job.id)) return true;
    const transport = transportFor(printer, job.id);
    try {
      const status = await transport.status().catch(() => null);
      if (status) {
        record(printer, status);
        lastPoll.set(printer.id, clock.now().getTime());
        const reason = blockingReason(status);
        if (reason) throw new PrinterError(reason.code, reason.message);
      }
      let bytes: Uint8Array;
      try {
        bytes = render(job, printer);
      } catch (e) {
        queue.fail(job.id, `could not make the receipt: ${describe(e)}`);
        return true;
      }
      await transport.send(bytes);
      queue.printed(job.id, clock.now().toISOString());
      return true;
    } catch (e) {
      const message = describe(e);
      queue.retryLater(job.id, message, new Date(clock.now().getTime() + backoffMs(job.attempts + 1)).toISOString());
      if (e instanceof PrinterError && (e.code === "offline" || e.code === "refused" || e.code === "timeout")) {
        record(printer, unreachableStatus(message));
      }
      return false;
    } finally {
      await transport.close().catch(() => undefined);
    }
  }

  async function pollStatuses(): Promise<void> {
    const now = clock.now().getTime();
    for (const p of printers.list()) {
      if (p.kind === "virtual" || now - (lastPoll.get(p.id) ?? 0) < statusEvery) continue;
      lastPoll.set(p.id, now);
      const t = transportFor(p, null);
      try {
        const s = await t.status();
        if (s) record(p, s);
      } catch (e) {
        record(p, unreachableStatus(describe(e)));
      } finally {
        await t.close().catch(() => undefined);
      }
    }
  }

  async function drain(): Promise<void> {
    const stuck = new Set<number>();
    for (const job of queue.due(clock.now().toISOString())) {
      if (stuck.has(job.printerId)) continue; // keep a printer's jobs in order: wait until its first one goes through
      const printer = printers.byId(job.printerId);
      if (!printer) {
        queue.fail(job.id, "the printer was removed");
        continue;
      }
      if (!(await printOne(job, printer))) stuck.add(job.printerId);
    }
    await pollStatuses();
  }

  /** One pass over the queue; concurrent calls wait for the running pass and run once more after it. */
  function tick(): Promise<void> {
    if (busy) {
      again = true;
      return busy;
    }
    busy = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again);
      } finally {
        busy = null;
      }
    })();
    return busy;
  }

  return {
    tick,
    /** Something was queued: print it now rather than at the next beat. */
    // after the answer has gone out: reading a long queue is never on the request's time
    kick: () => {
      if (halted) return;
      const k = setTimeout(() => {
        kicks.delete(k);
        if (!halted) void tick().catch(failed);
      }, 0);
      kicks.add(k);
    },
    /** No more passes from now on (the database is about to close); one under way finishes. */
    halt(): void {
      halted = true;
      for (const k of kicks) clearTimeout(k);
      kicks.clear();
      if (timer) clearInterval(timer);
      timer = null;
    },
    start(everyMs = 1000) {
      queue.settleInterrupted();
      timer ??= setInterval(() => void tick().catch(failed), everyMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await busy;
    },
  };
}

export type PrintWorker = ReturnType<typeof printWorker>;
