// The compiled binary and upgrades: --version names the schema it writes and where a data folder stands; it serves a
// release's database after upgrading it, every sale there; it refuses a newer release's database and exits.

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { schemaVersion } from "../../src/server/db/upgrade.ts";
import { version } from "../../src/server/platform/version.ts";
import { buildBinary, runCommand, startServer } from "../helpers/server.ts";
import { completedSales, releaseFixtures, schemaOf, unpack } from "./support.ts";

const work = mkdtempSync(join(tmpdir(), "shopflow-upgrade-bin-"));
const bin = join(work, "shopflow");
const env = { PATH: "/usr/bin:/bin", SHOPFLOW_DATA: "" };
const oldest = releaseFixtures()[0]!;

beforeAll(async () => {
  copyFileSync(await buildBinary(), bin);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("--version prints the program's version and the schema it writes, and with --data where that database stands", async () => {
  const plain = await runCommand([bin], ["--version"], env);
  expect(plain.code).toBe(0);
  expect(plain.stdout).toBe(`${version}\nstore database schema ${schemaVersion} (what this binary writes)\n`);

  const dir = join(work, "version-data");
  const none = await runCommand([bin], ["--version", "--data", dir], env);
  expect(none.stdout).toContain(`${join(dir, "shopflow.db")}: no database yet`);
  unpack(oldest, dir);
  const older = await runCommand([bin], ["--version", "--data", dir], env);
  expect(older.code).toBe(0);
  if (oldest.schema < schemaVersion) expect(older.stdout).toContain(`shopflow.db: schema ${oldest.schema}; this binary upgrades it at its next start`);
  else expect(older.stdout).toContain(`shopflow.db: schema ${oldest.schema}, up to date`);
  // reading the version changes nothing
  expect(schemaOf(join(dir, "shopflow.db"))).toBe(oldest.schema);
});

test(`the binary serves a release's database (schema ${oldest.schema}) after upgrading it, every sale there`, async () => {
  const dir = join(work, "release-data");
  const path = unpack(oldest, dir);
  const made = await runCommand([bin], ["token", "create", "--name", "Upgrade check", "--data", dir], env);
  expect(made.code).toBe(0);
  const token = made.stdout.trim().split("\n").at(-1)!;
  expect(schemaOf(path)).toBe(schemaVersion);
  const server = await startServer([bin], ["--data", dir], env);
  try {
    for (const kept of oldest.sales) {
      const res = await fetch(`${server.url}/api/v1/sales/${kept.id}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const sale = await res.json();
      expect({ receipt: sale.receipt_number, total: sale.total }).toEqual({ receipt: kept.receipt_number, total: kept.total });
    }
  } finally {
    await server.stop();
  }
  expect(completedSales(path).length).toBe(oldest.sales.length);
});

test("the binary refuses to serve a newer release's database: a clear message, exit 1, nothing changed", async () => {
  const dir = join(work, "newer-data");
  const path = unpack(oldest, dir);
  const db = new Database(path);
  db.exec(`PRAGMA user_version = ${schemaVersion + 5}`);
  db.close();
  const run = await runCommand([bin], ["serve", "--data", dir, "--host", "127.0.0.1", "--port", "0"], env);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `is at schema version ${schemaVersion + 5}, written by a newer ShopFlow; this binary (ShopFlow ${version}) writes schema version ${schemaVersion}`,
  );
  expect(run.stdout).not.toContain("serving on");
  expect(schemaOf(path)).toBe(schemaVersion + 5);
  const told = await runCommand([bin], ["--version", "--data", dir], env);
  expect(told.stdout).toContain(`schema ${schemaVersion + 5}, newer than this binary`);
});
