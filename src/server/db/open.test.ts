import { afterAll, expect, test } from "bun:test";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseCorrupt, databaseHealth, openDatabase } from "./open.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-open-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `store-${++n}`, "shopflow.db");
const mark = (path: string) => `${path}-clean`;

async function until(done: () => boolean): Promise<void> {
  while (!done()) await Bun.sleep(5);
}

/** Enough rows that most pages of the file belong to one table, all of it in the database file (no WAL). */
function fill(path: string): void {
  const db = openDatabase(path);
  db.exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const add = db.query("INSERT INTO filler (v) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) add.run(`${"x".repeat(100)}${i}`);
  }).immediate();
  db.close();
}

/** Overwrite the header of a page of `filler`, three quarters into the file, as a failing disk would. */
function breakPage(path: string): void {
  const pages = statSync(path).size / 4096;
  const fd = openSync(path, "r+");
  try {
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (Math.floor(pages * 0.75) - 1) * 4096);
  } finally {
    closeSync(fd);
  }
}

test("a corrupt database is refused, with DatabaseCorrupt, before anything reads or writes it", () => {
  const path = freshPath();
  fill(path);
  rmSync(mark(path));
  breakPage(path);
  expect(() => openDatabase(path)).toThrow(DatabaseCorrupt);
  expect(() => openDatabase(path)).toThrow(/failed its integrity check: (Tree \d+ page \d+|database disk image is malformed)/);
});

test("a clean close leaves a mark; the next start serves at once and checks in the background", async () => {
  const path = freshPath();
  fill(path);
  expect(existsSync(mark(path))).toBe(true);
  expect(existsSync(`${path}-wal`)).toBe(false);
  const db = openDatabase(path);
  // the mark holds for one start only: a crash from here on means a full check before the next one
  expect(existsSync(mark(path))).toBe(false);
  expect(databaseHealth(db)!.integrity.state).toBe("checking");
  await until(() => databaseHealth(db)!.integrity.state !== "checking");
  expect(databaseHealth(db)!.integrity).toEqual({ state: "ok", problem: null });
  db.exec("INSERT INTO filler (v) VALUES ('after the check')");
  db.close();
  expect(existsSync(mark(path))).toBe(true);
});

test("a store that was killed is checked before it opens, even if an earlier close was clean", async () => {
  const path = freshPath();
  fill(path);
  const child = Bun.spawn(
    [
      process.execPath,
      "-e",
      `
    const { openDatabase } = await import(${JSON.stringify(join(import.meta.dir, "open.ts"))});
    const db = openDatabase(${JSON.stringify(path)});
    db.exec("INSERT INTO filler (v) VALUES ('written, then killed')");
    process.kill(process.pid, "SIGKILL");
  `,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  expect(await child.exited).not.toBe(0);
  expect(existsSync(mark(path))).toBe(false);
  const db = openDatabase(path);
  expect(databaseHealth(db)!.integrity.state).toBe("ok"); // checked already, not "checking"
  expect(db.query("SELECT count(*) AS n FROM filler").get()).toEqual({ n: 3001 });
  db.close();
});

test("a file changed after its clean close is checked before it opens, so corruption is still refused", () => {
  const path = freshPath();
  fill(path);
  expect(existsSync(mark(path))).toBe(true);
  breakPage(path); // changes its times: the mark no longer names this file
  expect(() => openDatabase(path)).toThrow(DatabaseCorrupt);
});

test("corruption the background check finds stops every change, and the next start refuses the file", async () => {
  const path = freshPath();
  fill(path);
  // rot while it runs: the file breaks under an open store, which then closes cleanly and marks the broken file
  const running = openDatabase(path);
  await until(() => databaseHealth(running)!.integrity.state !== "checking");
  breakPage(path);
  running.close();
  expect(existsSync(mark(path))).toBe(true);

  const errors: unknown[] = [];
  const logged = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  const db = openDatabase(path);
  try {
    await until(() => databaseHealth(db)!.integrity.state !== "checking");
  } finally {
    console.error = logged;
  }
  expect(databaseHealth(db)!.integrity.state).toBe("failed");
  expect(databaseHealth(db)!.integrity.problem).toMatch(/Tree \d+ page \d+|malformed/);
  expect(errors.join("\n")).toContain("refuses every change");
  expect(() => db.exec("INSERT INTO settings (key, value) VALUES ('sold', 'on a broken file')")).toThrow(/readonly/);
  expect(db.query("SELECT count(*) AS n FROM settings WHERE key = 'sold'").get()).toEqual({ n: 0 });
  db.close();
  expect(existsSync(mark(path))).toBe(false);
  expect(() => openDatabase(path)).toThrow(DatabaseCorrupt);
});

test("read-only and in-memory databases are checked at once and run no worker", () => {
  const path = freshPath();
  fill(path);
  const ro = openDatabase(path, { readonly: true });
  expect(databaseHealth(ro)).toBeNull();
  ro.close();
  expect(existsSync(mark(path))).toBe(true); // a read-only open neither uses the mark up nor writes one
  const mem = openDatabase(":memory:");
  expect(databaseHealth(mem)).toBeNull();
  mem.close();
});
