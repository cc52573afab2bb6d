// WAL checkpoints run in a worker thread, not in a sale's commit: the WAL stays bounded through thousands of sales,
// the worker catches up, and the compiled binary carries the worker, survives SIGKILL and stops on SIGTERM.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../../src/server/api/tokens.ts";
import { databasePath, openShop } from "../../src/server/compose.ts";
import { SAFETY_NET_PAGES } from "../../src/server/db/checkpoints.ts";
import { databaseHealth } from "../../src/server/db/open.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { buildBinary, startServer } from "../helpers/server.ts";
import { codes, makeTestStore, seedSmallCatalog } from "../helpers/store.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sale = { lines: [{ barcode: codes.milk, qty: 2 }, { barcode: codes.bread }], payments: [{ method: "cash", amount: 1000 }] };
// a WAL frame is a 24-byte header and a 4 KiB page, after a 32-byte file header
const walBytes = (frames: number) => 32 + frames * (4096 + 24);

async function until(done: () => boolean): Promise<void> {
  while (!done()) await Bun.sleep(10);
}

/**
 * Frames in the WAL and how many are copied into the database file, read from the WAL-index (the -shm file, laid out
 * as sqlite.org/walformat.html says: mxFrame at byte 16 of the header, nBackfill at byte 96; little-endian here).
 */
function walIndex(dbPath: string): { frames: number; backfilled: number } {
  const shm = readFileSync(`${dbPath}-shm`);
  return { frames: shm.readUInt32LE(16), backfilled: shm.readUInt32LE(96) };
}

test("3000 sales back to back: the WAL stays bounded, and once the worker catches up the next sale starts it over", async () => {
  const t = makeTestStore();
  dirs.push(t.dir);
  const path = databasePath(t.dir);
  const stats = () => databaseHealth(t.store.db)!.checkpoints!;
  let largest = 0;
  for (let i = 0; i < 3000; i++) {
    const res = await t.api("/api/v1/sales", { method: "POST", json: sale });
    expect(res.status).toBe(201);
    largest = Math.max(largest, statSync(`${path}-wal`).size);
  }
  // Commits that never pause leave the worker no moment to finish, so here the safety net holds the bound: the net, and
  // what the commits just past it wrote before its checkpoint (a sale, with its stock ledger's movement and indexes, is
  // a few dozen pages).
  expect(largest).toBeLessThanOrEqual(walBytes(SAFETY_NET_PAGES + 150));
  expect(stats().worker).toBe("running");

  const afterSales = stats().rounds;
  await until(() => stats().rounds > afterSales + 1);
  expect(stats().backfilled).toBe(stats().walFrames);
  expect(walIndex(path).backfilled).toBe(walIndex(path).frames);

  const res = await t.api("/api/v1/sales", { method: "POST", json: sale });
  expect(res.status).toBe(201);
  const afterOne = stats().rounds;
  await until(() => stats().rounds > afterOne + 1);
  expect(stats().walFrames).toBeLessThan(100); // one sale's frames: the WAL starts from its beginning again
  expect(stats().backfilled).toBe(stats().walFrames);

  t.store.close();
  const again = openShop({ dataDir: t.dir });
  try {
    expect(again.db.query("SELECT count(*) AS n FROM sales WHERE status = 'completed'").get()).toEqual({ n: 3001 });
  } finally {
    again.close();
  }
});

test("the compiled binary checkpoints from its worker, keeps every sale through SIGKILL and stops on SIGTERM", async () => {
  const bin = await buildBinary();
  const dir = mkdtempSync(join(tmpdir(), "shopflow-ckpt-bin-"));
  dirs.push(dir);
  const path = databasePath(dir);
  const setup = openShop({ dataDir: dir });
  seedSmallCatalog(setup);
  writeSetting(setup.db, "negative_stock", "allow");
  const { token } = createToken(setup.db, "Lane 1", "2026-11-25T08:00:00Z");
  setup.close();
  const sell = async (url: string) => {
    const res = await fetch(`${url}/api/v1/sales`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(sale),
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  };

  const acked: string[] = [];
  const first = await startServer([bin], ["--data", dir]);
  try {
    for (let i = 0; i < 10; i++) acked.push(await sell(first.url));
    // About 300 frames: below SQLite's own 1000-page threshold, so only the worker copies them into the database file.
    await until(() => {
      const w = walIndex(path);
      return w.frames > 0 && w.backfilled === w.frames;
    });
  } finally {
    await first.kill();
  }
  expect(existsSync(`${path}-clean`)).toBe(false);
  const afterKill = openShop({ dataDir: dir });
  const completed = afterKill.db
    .query<{ id: string }, []>("SELECT id FROM sales WHERE status = 'completed'")
    .all()
    .map((r) => r.id);
  afterKill.close();
  expect(completed.sort()).toEqual([...acked].sort());

  const second = await startServer([bin], ["--data", dir]);
  for (let i = 0; i < 5; i++) acked.push(await sell(second.url));
  await second.stop();
  expect(second.proc.exitCode).toBe(0);
  const stderr = await new Response(second.proc.stderr).text();
  expect(stderr).not.toContain("checkpoints:");
  // a clean stop: the WAL is in the database file and gone, and the mark lets the next start skip the wait
  expect(existsSync(`${path}-wal`)).toBe(false);
  expect(existsSync(`${path}-clean`)).toBe(true);
  const last = openShop({ dataDir: dir });
  try {
    expect(last.db.query("SELECT count(*) AS n FROM sales WHERE status = 'completed'").get()).toEqual({ n: acked.length });
  } finally {
    last.close();
  }
});
