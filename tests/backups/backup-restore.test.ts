// Backups taken while the store sells, and restores: a backup made during a sale load holds every sale answered before
// it began and passes integrity_check once restored; restore is refused while a server runs on the data folder; a bad
// file is refused with a clear sentence and nothing changed.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { nightlyBackups } from "../../src/server/backups/nightly.ts";
import { databaseInUse, RestoreRefused, restoreBackup } from "../../src/server/backups/restore.ts";
import { readBackupStatus } from "../../src/server/backups/status.ts";
import { BACKUP_NAME } from "../../src/server/backups/take.ts";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop } from "../../src/server/compose.ts";
import { sourceCommand, startServer } from "../helpers/server.ts";
import { codes, makeTestStore } from "../helpers/store.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "shopflow-backup-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const integrity = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .query<{ integrity_check: string }, []>("PRAGMA integrity_check")
      .all()
      .map((r) => r.integrity_check);
  } finally {
    db.close();
  }
};
const saleIds = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return new Set(
      db
        .query<{ id: string }, []>("SELECT id FROM sales WHERE status = 'completed'")
        .all()
        .map((r) => r.id),
    );
  } finally {
    db.close();
  }
};

test("a backup taken while sales go in through the app holds every sale answered before it began, and restores whole", async () => {
  const t = makeTestStore();
  const folder = tempDir();
  t.store.db.query("INSERT INTO settings(key, value) VALUES ('backup_folder', ?)").run(folder);
  // over a real socket, as a register's browser or an integration would sell
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
  const sell = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/sales`, {
      method: "POST",
      headers: { Authorization: `Bearer ${t.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ lines: [{ barcode: codes.paper }], payments: [{ method: "cash", amount: 500 }] }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  try {
    for (let i = 0; i < 200; i++) await sell();
    // sales keep going in while the worker copies
    let selling = true;
    const answered: string[] = [];
    const load = (async () => {
      while (selling) answered.push(await sell());
    })();
    await Bun.sleep(5);
    const before = [...answered];
    const beforeAll = saleIds(t.store.db.filename);
    const backups = nightlyBackups({ db: t.store.db, clock: t.clock });
    const outcome = await backups.runNow();
    selling = false;
    await load;
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(answered.length).toBeGreaterThan(before.length); // the register was not held up for the copy
    expect(BACKUP_NAME.test(outcome.done.file.split("/").at(-1)!)).toBe(true);
    expect(statSync(outcome.done.file).size).toBe(outcome.done.bytes);
    expect(readdirSync(folder).filter((n) => n.includes(".part"))).toEqual([]);
    expect(readBackupStatus(t.store.db.filename).last?.file).toBe(outcome.done.file);

    // restored into a data folder of its own: sound, and holding every sale answered before the backup began
    const dataDir = tempDir();
    const restored = await restoreBackup(outcome.done.file, join(dataDir, "shopflow.db"), { at: new Date(), epoch: "epoch-after-restore" });
    expect(restored.sales).toBeGreaterThanOrEqual(beforeAll.size);
    expect(integrity(join(dataDir, "shopflow.db"))).toEqual(["ok"]);
    const held = saleIds(join(dataDir, "shopflow.db"));
    for (const id of [...beforeAll, ...before]) expect(held.has(id)).toBe(true);
    const shop = openShop({ dataDir });
    try {
      expect(shop.sync.status().epoch).toBe("epoch-after-restore");
    } finally {
      shop.close();
    }
  } finally {
    await server.stop(true);
    t.close();
  }
}, 60_000);

test("shopflow backup prints where and how big; shopflow restore refuses while a server runs on the folder", async () => {
  const dataDir = tempDir();
  const to = tempDir();
  const shop = openShop({ dataDir });
  shop.close();
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    expect(await runCli(["backup", "--data", dataDir, "--to", to])).toBe(0);
  } finally {
    console.log = log;
  }
  const [made] = readdirSync(to);
  expect(lines.join("\n")).toContain(`backup written: ${join(to, made!)}`);
  expect(lines.join("\n")).toMatch(/MB compressed \(.* database, 0 sales\), checked/);

  const server = await startServer(sourceCommand, ["--data", dataDir]);
  try {
    const dbPath = join(dataDir, "shopflow.db");
    expect(databaseInUse(dbPath)).toBe(true);
    const before = statSync(dbPath).ino;
    const refused = Bun.spawnSync([...sourceCommand, "restore", join(to, made!), "--data", dataDir]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.toString()).toContain("is in use: a ShopFlow server (or another command) is running on this data folder. Stop it first");
    // the same file is still in place (the server writes to it meanwhile), nothing kept aside, nothing left over
    expect(statSync(dbPath).ino).toBe(before);
    expect(readdirSync(dataDir).filter((n) => n.includes("before-restore") || n.includes("restoring"))).toEqual([]);
    // the server still sells from its own file
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  } finally {
    await server.stop();
  }
  // stopped: the same command restores, keeping the current file aside
  const done = Bun.spawnSync([...sourceCommand, "restore", join(to, made!), "--data", dataDir]);
  expect(done.stderr.toString()).toBe("");
  expect(done.exitCode).toBe(0);
  expect(done.stdout.toString()).toContain("the database it replaces is kept aside as");
  expect(readdirSync(dataDir).filter((n) => /^shopflow\.db\.before-restore-\d{8}T\d{6}Z$/.test(n))).toHaveLength(1);
}, 60_000);

test("a bad file is refused with a clear sentence and nothing is changed", async () => {
  const t = makeTestStore();
  const dbPath = t.store.db.filename;
  const dataDir = tempDir();
  const target = join(dataDir, "shopflow.db");
  try {
    // the live store's database as the one to replace: a copy made with the store closed
    t.store.db.exec(`VACUUM INTO '${target}'`);
    const before = readdirSync(dataDir).sort();
    const bytes = readFileSync(target);
    const files = {
      "not-gzip.db.gz": Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]),
      "text.db": Buffer.from("hello, this is not a database"),
      "other.db.gz": gzipSync(otherSqlite(tempDir())),
      "newer.db.gz": gzipSync(newerStoreDb(dbPath, tempDir())),
    };
    const sentences = {
      "not-gzip.db.gz": "cannot be unpacked",
      "text.db": "it is not a ShopFlow backup (not an SQLite database)",
      "other.db.gz": "it is an SQLite database but not a ShopFlow store's",
      "newer.db.gz": "it was made by a newer ShopFlow (database version 9999",
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(tempDir(), name);
      writeFileSync(file, content);
      const e = await restoreBackup(file, target, { at: new Date(), epoch: "x" }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RestoreRefused);
      expect((e as Error).message).toContain(sentences[name as keyof typeof sentences]);
      expect(readdirSync(dataDir).sort()).toEqual(before);
      expect(readFileSync(target).equals(bytes)).toBe(true);
    }
    const missing = await restoreBackup(join(dataDir, "nope.db.gz"), target, { at: new Date(), epoch: "x" }).catch((x: unknown) => x);
    expect((missing as Error).message).toContain("does not exist");
    expect(existsSync(target)).toBe(true);

    // the reason to restore: the database is damaged. A good backup replaces it; the damaged file is kept aside
    const good = join(tempDir(), "good.db");
    t.store.db.exec(`VACUUM INTO '${good}'`);
    writeFileSync(target, Buffer.alloc(8192, 7));
    const done = await restoreBackup(good, target, { at: new Date("2026-11-25T09:00:00Z"), epoch: "after-damage" });
    expect(done.keptAside).toEqual([`${target}.before-restore-20261125T090000Z`]);
    expect(integrity(target)).toEqual(["ok"]);
  } finally {
    t.close();
  }
});

function otherSqlite(dir: string): Buffer {
  const path = join(dir, "other.db");
  const db = new Database(path);
  db.exec("CREATE TABLE notes(x); INSERT INTO notes VALUES (1)");
  db.close();
  return readFileSync(path);
}

function newerStoreDb(from: string, dir: string): Buffer {
  const path = join(dir, "newer.db");
  const db = new Database(from, { readonly: true });
  db.exec(`VACUUM INTO '${path}'`);
  db.close();
  const copy = new Database(path);
  copy.exec("PRAGMA user_version = 9999");
  copy.close();
  return readFileSync(path);
}
