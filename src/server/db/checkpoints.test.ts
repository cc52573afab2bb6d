import { Database } from "bun:sqlite";
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Checkpoints, INLINE_CHECKPOINT_PAGES, SAFETY_NET_PAGES, startCheckpoints } from "./checkpoints.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-ckpt-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const open: Array<{ db: Database; checkpoints: Checkpoints }> = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.checkpoints.stop();
    o.db.close(true);
  }
});

const FRAME = 4096 + 24;
const walBytes = (frames: number) => 32 + frames * FRAME;

async function until(done: () => boolean): Promise<void> {
  while (!done()) await Bun.sleep(5);
}

function walDatabase(): { db: Database; path: string } {
  const path = join(root, `wal-${crypto.randomUUID()}.db`);
  const db = new Database(path, { strict: true });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  return { db, path };
}

function start(db: Database, path: string, workerUrl?: string): Checkpoints {
  const checkpoints = startCheckpoints(db, path, workerUrl ? { workerUrl } : {});
  open.push({ db, checkpoints });
  return checkpoints;
}

/** `commits` transactions of ten new pages each; the WAL's size on disk after each, at its largest. */
function write(db: Database, path: string, commits: number): number {
  const add = db.query("INSERT INTO rows (v) VALUES (randomblob(4000))");
  let largest = 0;
  for (let i = 0; i < commits; i++) {
    db.transaction(() => {
      for (let r = 0; r < 10; r++) add.run();
    }).immediate();
    largest = Math.max(largest, statSync(`${path}-wal`).size);
  }
  return largest;
}

function quiet<T>(run: () => Promise<T>): Promise<T> {
  const logged = console.error;
  console.error = () => {};
  return run().finally(() => (console.error = logged));
}

test("the worker copies every committed frame into the database file, and the next commit starts the WAL over", async () => {
  const { db, path } = walDatabase();
  const checkpoints = start(db, path);
  expect(db.query("PRAGMA wal_autocheckpoint").get()).toEqual({ wal_autocheckpoint: SAFETY_NET_PAGES });
  write(db, path, 30);
  const after = checkpoints.stats().rounds;
  await until(() => checkpoints.stats().rounds > after + 1);
  const caughtUp = checkpoints.stats();
  expect(caughtUp.worker).toBe("running");
  expect(caughtUp.walFrames).toBeGreaterThan(0);
  expect(caughtUp.backfilled).toBe(caughtUp.walFrames);
  write(db, path, 1);
  const restarted = checkpoints.stats().rounds;
  await until(() => checkpoints.stats().rounds > restarted + 1);
  expect(checkpoints.stats().walFrames).toBeLessThan(20); // one commit's frames, at the start of the file again
});

test("a worker that never checkpoints (stuck) leaves the WAL bounded by the serving connection's safety net", async () => {
  const { db, path } = walDatabase();
  const stuck = URL.createObjectURL(new File(["self.onmessage = () => {};"], "stuck-worker.ts"));
  const checkpoints = start(db, path, stuck);
  const largest = write(db, path, (SAFETY_NET_PAGES / 10) * 2);
  expect(largest).toBeLessThanOrEqual(walBytes(SAFETY_NET_PAGES + 20));
  expect(checkpoints.stats().rounds).toBe(0);
});

test("a worker that cannot start hands checkpoints back to SQLite's default in the serving connection", async () => {
  const { db, path } = walDatabase();
  const checkpoints = start(db, path, join(root, "no-such-worker.ts"));
  await quiet(() => until(() => checkpoints.stats().worker === "failed"));
  expect(checkpoints.stats().inlinePages).toBe(INLINE_CHECKPOINT_PAGES);
  expect(db.query("PRAGMA wal_autocheckpoint").get()).toEqual({ wal_autocheckpoint: INLINE_CHECKPOINT_PAGES });
  const largest = write(db, path, (INLINE_CHECKPOINT_PAGES / 10) * 3);
  expect(largest).toBeLessThanOrEqual(walBytes(INLINE_CHECKPOINT_PAGES + 20));
});

test("a worker that dies mid-run hands checkpoints back too", async () => {
  const { db, path } = walDatabase();
  const dying = URL.createObjectURL(new File(["self.onmessage = () => { throw new Error('gone'); };"], "dying-worker.ts"));
  const checkpoints = start(db, path, dying);
  await quiet(() => until(() => checkpoints.stats().worker === "failed"));
  expect(db.query("PRAGMA wal_autocheckpoint").get()).toEqual({ wal_autocheckpoint: INLINE_CHECKPOINT_PAGES });
});

test("stop waits until the worker closed its connection; a store closed at once never lets it open the file", async () => {
  const { db, path } = walDatabase();
  const running = start(db, path);
  await until(() => running.stats().worker === "running");
  expect(running.stop()).toBe(true);
  expect(running.stats().worker).toBe("stopped");

  const other = walDatabase();
  const early = start(other.db, other.path);
  expect(early.stop()).toBe(true);
  expect(early.stats()).toMatchObject({ worker: "stopped", rounds: 0 });
  // nothing holds the file now: the last connection's close checkpoints and removes the WAL
  other.db.close(true);
  expect(await Bun.file(`${other.path}-wal`).exists()).toBe(false);
});

test("an open database with its worker never keeps the process from exiting", async () => {
  const path = join(root, "left-open.db");
  const child = Bun.spawn(
    [
      process.execPath,
      "-e",
      `
    const { openDatabase } = await import(${JSON.stringify(join(import.meta.dir, "open.ts"))});
    const db = openDatabase(${JSON.stringify(path)});
    db.exec("CREATE TABLE t (n INTEGER)");
    await Bun.sleep(300); // the worker is running by now; the script ends without closing anything
    console.log("done");
  `,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  // a hung child fails this test by its timeout rather than hanging the run
  const guard = setTimeout(() => child.kill(9), 30_000);
  const code = await child.exited;
  clearTimeout(guard);
  expect(await new Response(child.stdout).text()).toContain("done");
  expect(code).toBe(0);
});
