// Head office's functions live once each in functions/<name>.sql and are applied at every migrate: a new database, one
// migrated twice and one the earlier migrations made (which held the function bodies) all end with the files'.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HQ_LOCK_NAMESPACE, type HqMigration, type HqSql, type HqTransaction, hqFunctions, hqMigrations, migrateHq, openHq } from "../../src/sync/hq/db/db.ts";
import { startPostgres, type TestPostgres } from "../helpers/pg.ts";

// The last commit whose migrations still defined the functions themselves.
const BEFORE_FUNCTIONS = "40399c5b3854ec2e1f23ba5b1497b782159d7a3b";

const folder = join(import.meta.dir, "../../src/sync/hq/db/functions");
const files = readdirSync(folder)
  .filter((f) => f.endsWith(".sql"))
  .sort();

let pg: TestPostgres;
let admin: HqSql;
let fresh: HqSql;
let firstRun: number[];
const opened: HqSql[] = [];

async function newDatabase(name: string): Promise<HqSql> {
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const sql = openHq(pg.url.replace(/\/postgres$/, `/${name}`), { max: 2 });
  opened.push(sql);
  return sql;
}

/** Every function and trigger of the schema, as PostgreSQL writes it out again: signature, body and all. */
async function definitions(sql: HqSql | HqTransaction) {
  const functions = await sql<{ name: string; def: string }[]>`
    SELECT proname AS name, pg_get_functiondef(oid) AS def FROM pg_proc
    WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`;
  const triggers = await sql<{ name: string; def: string }[]>`
    SELECT tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`;
  return { functions, triggers };
}

/** Whether this checkout has that commit (a shallow clone or an exported tree has not: the case is then skipped). */
const historyAtHand = Bun.spawnSync(["git", "-C", import.meta.dir, "cat-file", "-e", `${BEFORE_FUNCTIONS}^{commit}`]).exitCode === 0;

/** The numbered migrations that existed at BEFORE_FUNCTIONS, as they were then, read from git. */
function migrationsBeforeFunctions(): HqMigration[] {
  const existed = (path: string) => Bun.spawnSync(["git", "-C", import.meta.dir, "cat-file", "-e", `${BEFORE_FUNCTIONS}:${path}`]).exitCode === 0;
  const path = (m: HqMigration) => `src/sync/hq/db/migrations/${m.name}.sql`;
  const then = hqMigrations.filter((m) => existed(path(m)));
  // the ones after it were written after the functions moved out, and define none
  expect(then.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
  return then.map((m) => {
    const path = `src/sync/hq/db/migrations/${m.name}.sql`;
    const r = Bun.spawnSync(["git", "-C", import.meta.dir, "show", `${BEFORE_FUNCTIONS}:${path}`]);
    if (r.exitCode !== 0) throw new Error(`this test reads ${path} from git commit ${BEFORE_FUNCTIONS}: ${r.stderr.toString()}`);
    return { ...m, sql: r.stdout.toString() };
  });
}

class Rollback extends Error {}

beforeAll(async () => {
  pg = await startPostgres();
  admin = openHq(pg.url, { max: 2 });
  fresh = await newDatabase("hq_fresh");
  firstRun = await migrateHq(fresh);
});

afterAll(async () => {
  await Promise.all(opened.map((sql) => sql.end({ timeout: 5 })));
  await admin?.end({ timeout: 5 });
  await pg?.cleanup();
});

describe("head office's functions", () => {
  test("are the files of functions/, each creating (or replacing) exactly the function its name says", () => {
    expect(hqFunctions.map((f) => `${f.name}.sql`).sort()).toEqual(files);
    for (const f of hqFunctions) {
      const text = readFileSync(join(folder, `${f.name}.sql`), "utf8");
      expect(f.sql).toBe(text.replaceAll("{{HQ_LOCK_NAMESPACE}}", String(HQ_LOCK_NAMESPACE)));
      expect(f.sql).not.toContain("{{");
      const created = [...text.matchAll(/\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([\w.]+)/gi)].map((c) => c[1]);
      const replaced = [...text.matchAll(/\bCREATE\s+OR\s+REPLACE\s+FUNCTION\s+([\w.]+)/gi)].map((c) => c[1]);
      expect([created, replaced]).toEqual([[f.name], [f.name]]);
    }
  });

  test("a new database holds one definition of each, and no other function; migrating again changes nothing", async () => {
    expect(firstRun).toEqual(hqMigrations.map((m) => m.version));
    const first = await definitions(fresh);
    expect(first.functions.map((f) => f.name)).toEqual(hqFunctions.map((f) => f.name).sort());
    expect(first.triggers.map((t) => t.name)).toEqual(["catalog_releases_categories", "catalog_releases_products", "dead_letters_kept"]);

    expect(await migrateHq(fresh)).toEqual([]);
    expect(await definitions(fresh)).toEqual(first);
    const [row] = await fresh<{ n: number }[]>`SELECT count(*) AS n FROM hq_migrations`;
    expect(row!.n).toBe(hqMigrations.length);
  });

  test("what is live is what each file says: dropped and made again from its file, nothing differs", async () => {
    const live = await definitions(fresh);
    for (const f of hqFunctions) {
      const outcome = fresh.begin(async (tx) => {
        const own = await tx<{ sig: string }[]>`
          SELECT oid::regprocedure::text AS sig FROM pg_proc WHERE proname = ${f.name} AND pronamespace = 'public'::regnamespace`;
        expect(own.length).toBe(1);
        await tx.unsafe(`DROP FUNCTION ${own[0]!.sig} CASCADE`);
        expect((await definitions(tx)).functions.map((d) => d.name)).not.toContain(f.name);
        await tx.unsafe(f.sql);
        expect(await definitions(tx)).toEqual(live);
        throw new Rollback();
      });
      await expect(outcome).rejects.toBeInstanceOf(Rollback);
    }
  });

  test.skipIf(!historyAtHand)("a database the earlier migrations made, stopped at any version, ends with exactly the files' definitions", async () => {
    const old = migrationsBeforeFunctions();
    // those migrations did define the functions, in 001, 003 and 005
    expect(old.filter((m) => m.sql.includes("CREATE FUNCTION")).map((m) => m.version)).toEqual([1, 3, 5]);
    const wanted = await definitions(fresh);
    for (const m of old) {
      const sql = await newDatabase(`hq_from_${m.version}`);
      await migrateHq(
        sql,
        old.filter((o) => o.version <= m.version),
        [],
      );
      expect(await definitions(sql)).not.toEqual(wanted);
      expect(await migrateHq(sql)).toEqual(hqMigrations.filter((h) => h.version > m.version).map((h) => h.version));
      expect(await definitions(sql)).toEqual(wanted);
    }
  });

  test("lock in HQ_LOCK_NAMESPACE: the same lock taken from TypeScript holds each of them back", async () => {
    const store = "6f1d3c2e-0000-4000-8000-000000000001";
    const cases = [
      { second: `hashtext('${store}')`, call: `SELECT hq_receive_batch('${store}', 'e', 1, 1, '[]', '', '{}') AS r` },
      { second: `hashtext('${store}')`, call: `SELECT hq_accept_restored_epoch('${store}', 'e', 'test') AS r` },
      { second: "1", call: "SELECT hq_ensure_month_partitions(ARRAY['2001-01-01'::date]) AS r" },
    ];
    for (const c of cases) {
      await fresh.begin(async (tx) => {
        await tx.unsafe(`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${c.second})`);
        const waited = fresh.begin(async (other) => {
          await other`SET LOCAL lock_timeout = '300ms'`;
          await other.unsafe(c.call);
        });
        await expect(waited).rejects.toMatchObject({ code: "55P03" });
      });
      // and once that lock is gone, the same call goes through
      const [row] = await fresh.unsafe(c.call);
      expect(row?.r).toBeDefined();
    }
  });
});
