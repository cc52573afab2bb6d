// Head office on a PostgreSQL schema newer than its binary: refused with both versions and what to do, nothing changed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { version } from "../../src/server/platform/version.ts";
import { HqSchemaTooNew, hqMigrations, migrateHq } from "../../src/sync/hq/db/db.ts";
import { runCommand, sourceCommand } from "../helpers/server.ts";
import { type Hq, startHq } from "../sync/hq-support.ts";

let hq: Hq;
beforeAll(async () => {
  hq = await startHq();
});
afterAll(async () => {
  await hq?.close();
});

const known = Math.max(...hqMigrations.map((m) => m.version));
const applied = async () => (await hq.sql<{ version: number }[]>`SELECT version FROM hq_migrations ORDER BY version`).map((r) => r.version);

test("a head-office database already at this binary's schema migrates to nothing", async () => {
  expect(await migrateHq(hq.sql)).toEqual([]);
  expect((await applied()).at(-1)).toBe(known);
});

test("an older head-office binary refuses a newer schema, says both versions and what to do, and changes nothing", async () => {
  const newer = known + 1;
  await hq.sql`INSERT INTO hq_migrations (version, name) VALUES (${newer}, ${`${newer}_from_a_newer_release`})`;
  const before = await applied();
  let refused: unknown;
  try {
    await migrateHq(hq.sql);
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(HqSchemaTooNew);
  const message = (refused as Error).message;
  expect(message).toContain(`the head-office database is at schema version ${newer}, written by a newer ShopFlow`);
  expect(message).toContain(`this binary (ShopFlow ${version}) writes schema version ${known}`);
  expect(message).toContain("Start head office with the newer shopflow binary again");
  expect(await applied()).toEqual(before);

  // `shopflow hq` says the same and exits 1 instead of serving
  const run = await runCommand(sourceCommand, ["hq", "--database-url", hq.pg.url, "--host", "127.0.0.1", "--port", "0"]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`is at schema version ${newer}, written by a newer ShopFlow`);
  expect(run.stdout).not.toContain("serving on");
  expect(await applied()).toEqual(before);
  await hq.sql`DELETE FROM hq_migrations WHERE version = ${newer}`;
});
