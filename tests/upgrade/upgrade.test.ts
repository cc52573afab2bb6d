// Upgrades of the store database: a release's database opened by this code keeps every sale, a copy is taken first and
// only the newest few kept, a newer database is refused untouched, and two starts at once upgrade it once.

import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createToken } from "../../src/server/api/tokens.ts";
import { createApp } from "../../src/server/app.ts";
import { openShop } from "../../src/server/compose.ts";
import { openDatabase } from "../../src/server/db/open.ts";
import { DatabaseTooNew, KEEP_UPGRADE_COPIES, schemaVersion, upgradeCopies } from "../../src/server/db/upgrade.ts";
import { version } from "../../src/server/platform/version.ts";
import { runCommand, sourceCommand } from "../helpers/server.ts";
import { completedSales, olderDatabase, raw, releaseFixtures, schemaOf, unpack } from "./support.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-upgrade-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `store-${++n}`);

test("there is a kept database of an earlier release, with sales in it", () => {
  const kept = releaseFixtures();
  expect(kept.length).toBeGreaterThan(0);
  expect(kept[0]!.schema).toBeLessThanOrEqual(schemaVersion);
  expect(kept[0]!.sales.length).toBeGreaterThanOrEqual(5);
});

for (const fixture of releaseFixtures()) {
  test(`a database made by release ${fixture.madeBy} (schema ${fixture.schema}) opens at schema ${schemaVersion} with every sale intact`, async () => {
    const dir = freshDir();
    const path = unpack(fixture, dir);
    const before = completedSales(path);
    expect(before.map((s) => s.receipt_number)).toEqual(fixture.sales.map((s) => s.receipt_number));

    const store = openShop({ dataDir: dir });
    try {
      expect(schemaOf(path)).toBe(schemaVersion);
      expect(completedSales(path)).toEqual(before);
      // read back through the program, as an integration would
      const { token } = createToken(store.db, "Upgrade check", new Date().toISOString());
      const app = createApp(store);
      for (const kept of fixture.sales) {
        const res = await app.request(`/api/v1/sales/${kept.id}`, { headers: { Authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const sale = await res.json();
        expect({ receipt: sale.receipt_number, total: sale.total, lines: sale.lines.length }).toEqual({
          receipt: kept.receipt_number,
          total: kept.total,
          lines: kept.lines,
        });
      }
      // and it goes on selling, the receipt numbers following on
      const sku = store.db.query<{ sku: string }, []>("SELECT sku FROM products WHERE weighed = 0 AND price > 0 ORDER BY sku LIMIT 1").get()!.sku;
      const sold = await app.request("/api/v1/sales", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": "after-upgrade" },
        body: JSON.stringify({ lines: [{ sku, qty: 1 }], payments: [{ method: "cash", amount: 100_000 }] }),
      });
      expect(sold.status).toBe(201);
      expect(completedSales(path).length).toBe(fixture.sales.length + 1);
    } finally {
      store.close();
    }
    const copies = upgradeCopies(path);
    if (fixture.schema < schemaVersion) {
      // the database as the release left it, whole, beside the upgraded one
      expect(copies.map((c) => c.schema)).toEqual([fixture.schema]);
      expect(basename(copies[0]!.file)).toMatch(new RegExp(`^shopflow-schema-${fixture.schema}-\\d{8}T\\d{9}Z\\.db$`));
      expect(schemaOf(copies[0]!.file)).toBe(fixture.schema);
      expect(completedSales(copies[0]!.file)).toEqual(before);
      // and the database says which ShopFlow upgraded it, from where
      expect(raw(path, (db) => db.query("SELECT from_schema, to_schema, program_version, copy_file FROM upgrades").all())).toEqual([
        { from_schema: fixture.schema, to_schema: schemaVersion, program_version: version, copy_file: copies[0]!.file },
      ]);
    } else {
      expect(copies).toEqual([]);
    }
  });
}

test("an upgrade keeps the database as it was beside it, and only the newest copies", () => {
  const dir = freshDir();
  const { path, from } = olderDatabase(dir);
  // copies of earlier upgrades, older than today's
  for (const stamp of ["20240101T000000000Z", "20250101T000000000Z", "20250601T000000000Z", "20260101T000000000Z"])
    writeFileSync(join(dir, `shopflow-schema-${from - 1}-${stamp}.db`), "old copy");
  openDatabase(path).close();
  expect(schemaOf(path)).toBe(schemaVersion);
  const copies = upgradeCopies(path);
  expect(copies.length).toBe(KEEP_UPGRADE_COPIES);
  expect(copies.at(-1)!.schema).toBe(from);
  expect(schemaOf(copies.at(-1)!.file)).toBe(from);
  expect(copies.map((c) => basename(c.file)).slice(0, -1)).toEqual([
    `shopflow-schema-${from - 1}-20250601T000000000Z.db`,
    `shopflow-schema-${from - 1}-20260101T000000000Z.db`,
  ]);
  // a start with nothing to upgrade takes no copy
  openDatabase(path).close();
  expect(upgradeCopies(path).length).toBe(KEEP_UPGRADE_COPIES);
  // and a new database has nothing to copy
  const fresh = join(freshDir(), "shopflow.db");
  openDatabase(fresh).close();
  expect(upgradeCopies(fresh)).toEqual([]);
});

test("an older binary refuses a newer database with both versions and what to do, and changes nothing", async () => {
  const dir = freshDir();
  const path = unpack(releaseFixtures().at(-1)!, dir);
  openShop({ dataDir: dir }).close();
  // then a newer ShopFlow upgraded it further, after its copy
  const newer = schemaVersion + 1;
  const db = new Database(path);
  db.query("INSERT INTO upgrades (from_schema, to_schema, program_version, at) VALUES (?, ?, '9.9.9', '2099-01-01T00:00:00.000Z')").run(schemaVersion, newer);
  db.exec(`PRAGMA user_version = ${newer}`);
  db.close();
  const copy = join(dir, `shopflow-schema-${schemaVersion}-20990101T000000000Z.db`);
  writeFileSync(copy, "copy");
  const bytes = readFileSync(path);

  let refused: unknown;
  try {
    openShop({ dataDir: dir }).close();
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(DatabaseTooNew);
  const message = (refused as Error).message;
  expect(message).toContain(`schema version ${newer}, written by a newer ShopFlow (9.9.9)`);
  expect(message).toContain(`this binary (ShopFlow ${version}) writes schema version ${schemaVersion}`);
  expect(message).toContain("Start the newer shopflow again");
  expect(message).toContain(`shopflow restore ${copy}`);
  expect(readFileSync(path).equals(bytes)).toBe(true);
  expect(schemaOf(path)).toBe(newer);

  // the command line says the same and exits 1
  const run = await runCommand(sourceCommand, ["settings", "list", "--data", dir]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`is at schema version ${newer}`);
  expect(readFileSync(path).equals(bytes)).toBe(true);
});

test("a start that finds another one upgrading waits for it, then finds the work done", async () => {
  const dir = freshDir();
  const { path, from } = olderDatabase(dir);
  // what a start holds while it upgrades
  const lock = new Database(`${path}-upgrade-lock`, { create: true });
  lock.exec("BEGIN EXCLUSIVE");
  const p = Bun.spawn([...sourceCommand, "settings", "list", "--data", dir], { stdout: "pipe", stderr: "pipe" });
  const reader = p.stderr.getReader();
  let said = "";
  while (!said.includes("another shopflow is upgrading")) {
    const chunk = await reader.read();
    if (chunk.done) break;
    said += new TextDecoder().decode(chunk.value);
  }
  expect(said).toContain(`another shopflow is upgrading ${path}; waiting for it to finish`);
  expect(schemaOf(path)).toBe(from);
  expect(upgradeCopies(path)).toEqual([]);
  lock.exec("COMMIT");
  lock.close();
  expect(await p.exited).toBe(0);
  expect(schemaOf(path)).toBe(schemaVersion);
  expect(upgradeCopies(path).length).toBe(1);
});

test("two starts at once on an older database: it is upgraded once, with one copy, and both run", async () => {
  const dir = freshDir();
  const { path, from } = olderDatabase(dir);
  const runs = await Promise.all([1, 2].map(() => runCommand(sourceCommand, ["settings", "list", "--data", dir])));
  for (const r of runs) expect({ code: r.code, stderr: r.stderr.replace(/^(upgrading|another shopflow).*\n/gm, "") }).toEqual({ code: 0, stderr: "" });
  expect(runs.filter((r) => r.stderr.includes(`upgrading ${path} from schema version ${from}`)).length).toBe(1);
  expect(schemaOf(path)).toBe(schemaVersion);
  expect(upgradeCopies(path).map((c) => c.schema)).toEqual([from]);
  expect(raw(path, (db) => db.query<{ n: number }, []>("PRAGMA integrity_check").all().length)).toBe(1);
  expect(existsSync(`${path}-upgrade-lock`)).toBe(true);
});
