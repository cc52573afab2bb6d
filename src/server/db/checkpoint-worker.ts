// The checkpoint worker thread (started by checkpoints.ts): its own connection, a PASSIVE checkpoint every interval.
import { Database } from "bun:sqlite";
import { type IntegrityReport, IntegrityState, integrityProblem, Slot, type WorkerStart, WorkerState } from "./checkpoints.ts";

declare var self: Worker;

self.onmessage = (event: MessageEvent<WorkerStart>) => run(event.data);

function run({ path, control: buffer, intervalMs, checkIntegrity }: WorkerStart): void {
  const control = new Int32Array(buffer);
  // the store may have been closed before this thread got going: then the file is not opened at all
  if (Atomics.compareExchange(control, Slot.state, WorkerState.starting, WorkerState.running) !== WorkerState.starting) return;
  let db: Database | null = null;
  try {
    db = new Database(path, { readwrite: true, create: false, strict: true });
    db.exec("PRAGMA busy_timeout = 1000");
    // the integrity check reads each page once and a checkpoint copies from the WAL: SQLite's default 2 MB page cache
    // would only hold memory the serving thread could use
    db.exec("PRAGMA cache_size = -256");
    // a checkpoint syncs the WAL before it copies and the database file after, as the serving connection's would
    db.exec("PRAGMA synchronous = FULL");
    if (checkIntegrity) {
      const problem = integrityProblem(db);
      Atomics.store(control, Slot.integrity, problem === null ? IntegrityState.ok : IntegrityState.failed);
      postMessage({ kind: "integrity", problem } satisfies IntegrityReport);
    }
    // PASSIVE never waits for the serving connection and never makes it wait: it copies what no reader still needs
    const checkpoint = db.query<{ busy: number; log: number; checkpointed: number }, []>("PRAGMA wal_checkpoint(PASSIVE)");
    while (Atomics.load(control, Slot.stop) === 0) {
      const done = checkpoint.get()!;
      Atomics.store(control, Slot.walFrames, done.log);
      Atomics.store(control, Slot.backfilled, done.checkpointed);
      Atomics.add(control, Slot.rounds, 1);
      Atomics.wait(control, Slot.stop, 0, intervalMs);
    }
  } finally {
    db?.close(true);
    Atomics.store(control, Slot.state, WorkerState.stopped);
    Atomics.notify(control, Slot.state);
  }
}
