// WAL checkpoints off the serving thread: a worker with its own connection copies committed pages into the database
// file, so no sale's commit pays for that copy and its fsync. SQLite's own checkpoint stays on as the safety net.
import { type Database, SQLiteError } from "bun:sqlite";
// the type only: the checkpoint worker loads this file too, and has no use for the logger itself
import type { Logger } from "../platform/log/log.ts";

/** SQLite's default: the serving connection checkpoints itself again if the worker fails. */
export const INLINE_CHECKPOINT_PAGES = 1000;
/**
 * With the worker running, the serving connection checkpoints itself only past this many WAL frames (about 16 MB of
 * 4 KiB pages): the bound on the WAL when the worker is stuck, or cannot catch up because commits never pause.
 */
export const SAFETY_NET_PAGES = 4000;
const INTERVAL_MS = 100;
// A clean close waits this long for the worker to let go of the file (it may be in the middle of an integrity check).
const STOP_WAIT_MS = 5000;

/** Slots of the shared Int32Array the two threads talk through; readable at any time without a message. */
export const Slot = { stop: 0, state: 1, rounds: 2, walFrames: 3, backfilled: 4, integrity: 5 } as const;
export const WorkerState = { starting: 0, running: 1, stopped: 2 } as const;
export const IntegrityState = { unchecked: 0, ok: 1, failed: 2 } as const;
const SLOTS = 6;

/** What the serving thread sends the worker to begin. */
export type WorkerStart = { path: string; control: SharedArrayBuffer; intervalMs: number; checkIntegrity: boolean };
/** What the worker sends back when its integrity check is done. */
export type IntegrityReport = { kind: "integrity"; problem: string | null };

export type CheckpointStats = {
  /** Checkpoints the worker has run. */
  rounds: number;
  /** Frames in the WAL and how many of them are in the database file, as of the worker's last checkpoint. */
  walFrames: number;
  backfilled: number;
  worker: "starting" | "running" | "stopped" | "failed";
  /** The serving connection's own checkpoint threshold now, in pages. */
  inlinePages: number;
};

export type Checkpoints = {
  stats(): CheckpointStats;
  /** The background integrity check: not asked for, not done yet, passed, or failed. */
  integrity(): "unchecked" | "ok" | "failed";
  /** Stop the worker and wait (bounded) until its connection is closed; true when it let go of the file. */
  stop(): boolean;
};

// From source the worker sits beside this file. The compiled binary holds it as a second entry point (see the
// Makefile's build target) under /$bunfs/root, by its path below src/, the entry points' common folder.
function defaultWorkerUrl(): string {
  const beside = new URL("./checkpoint-worker.ts", import.meta.url);
  return beside.pathname.startsWith("/$bunfs/") ? "/$bunfs/root/server/db/checkpoint-worker.ts" : beside.href;
}

/** What `PRAGMA quick_check` finds wrong (the start of it: it can run to pages), or null when the file is sound. */
export function integrityProblem(db: Database): string | null {
  let rows: string[];
  try {
    rows = db
      .query<{ quick_check: string }, []>("PRAGMA quick_check")
      .all()
      .map((r) => r.quick_check);
  } catch (e) {
    // a page too broken to walk makes the check itself fail, which is its answer too
    if (e instanceof SQLiteError && /^SQLITE_(CORRUPT|NOTADB)/.test(e.code ?? "")) rows = [e.message];
    else throw e;
  }
  return rows.length === 1 && rows[0] === "ok" ? null : rows.join("; ").replace(/\s+/g, " ").slice(0, 500);
}

export type CheckpointOptions = {
  /** Run `PRAGMA quick_check` in the worker before the first checkpoint and report through `onIntegrity`. */
  checkIntegrity?: boolean;
  onIntegrity?: (problem: string | null) => void;
  /** Tests give a worker that misbehaves; the store uses checkpoint-worker.ts. */
  workerUrl?: string;
  /** Where falling back to checkpointing on the serving connection is logged (openDatabase's logger; else stderr). */
  log?: Logger;
};

/** Start checkpointing `db` (open on `path`, in WAL mode) from a worker thread. */
export function startCheckpoints(db: Database, path: string, options: CheckpointOptions = {}): Checkpoints {
  const buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const control = new Int32Array(buffer);
  let inlinePages = SAFETY_NET_PAGES;
  let failed = false;
  let stopping = false;
  db.exec(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES}`);

  const fallBack = (reason: string) => {
    if (failed || stopping) return;
    failed = true;
    inlinePages = INLINE_CHECKPOINT_PAGES;
    try {
      db.exec(`PRAGMA wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
    } catch {
      return; // closed already: nothing left to checkpoint
    }
    const msg = `checkpoints: ${reason}; the serving connection checkpoints the WAL itself again`;
    if (options.log) options.log.warn("checkpoints.fallback", { msg, path });
    else console.error(msg);
  };

  let worker: Worker;
  try {
    // not ref'd: an open store must never be what keeps a process (or `bun test`) from exiting
    worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), { ref: false, smol: true });
  } catch (e) {
    fallBack(`the worker did not start (${e instanceof Error ? e.message : String(e)})`);
    return { stats: () => stats(), integrity: () => "unchecked", stop: () => true };
  }
  worker.addEventListener("error", (e) => fallBack(`the worker failed (${e.message})`));
  worker.addEventListener("close", () => fallBack("the worker exited"));
  worker.addEventListener("message", (e: MessageEvent<IntegrityReport>) => {
    if (e.data?.kind === "integrity" && !stopping) options.onIntegrity?.(e.data.problem);
  });
  const start: WorkerStart = { path, control: buffer, intervalMs: INTERVAL_MS, checkIntegrity: options.checkIntegrity ?? false };
  worker.postMessage(start);

  function stats(): CheckpointStats {
    const state = Atomics.load(control, Slot.state);
    return {
      rounds: Atomics.load(control, Slot.rounds),
      walFrames: Atomics.load(control, Slot.walFrames),
      backfilled: Atomics.load(control, Slot.backfilled),
      worker: failed ? "failed" : state === WorkerState.running ? "running" : state === WorkerState.stopped ? "stopped" : "starting",
      inlinePages,
    };
  }

  return {
    stats,
    integrity() {
      const v = Atomics.load(control, Slot.integrity);
      return v === IntegrityState.ok ? "ok" : v === IntegrityState.failed ? "failed" : "unchecked";
    },
    stop() {
      stopping = true;
      Atomics.store(control, Slot.stop, 1);
      Atomics.notify(control, Slot.stop);
      // a worker that has not begun yet never opens the file; one that has is waited for until it closed its connection
      let released = Atomics.compareExchange(control, Slot.state, WorkerState.starting, WorkerState.stopped) === WorkerState.starting;
      const deadline = performance.now() + STOP_WAIT_MS;
      while (!released) {
        const left = deadline - performance.now();
        if (Atomics.load(control, Slot.state) === WorkerState.stopped) released = true;
        else if (left <= 0) break;
        else Atomics.wait(control, Slot.state, WorkerState.running, left);
      }
      worker.terminate();
      return released;
    },
  };
}
