// What head office's bench sections share: a throwaway cluster with head office's schema, a chain of stores written
// straight into it, head office served over real HTTP with a viewer to sign in as, and GETs timed one at a time.
import { createHqApp } from "../src/sync/hq/app.ts";
import { type HqSql, migrateHq, openHq } from "../src/sync/hq/db/db.ts";
import { addUser } from "../src/sync/hq/people/users.ts";
import { startPostgres, type TestPostgres } from "../tests/helpers/pg.ts";
import { type LatencySummary, summarize } from "./stats.ts";

/** The viewer `serve` adds, for a section that reads pages signed in. */
export const BENCH_VIEWER = { name: "Bench", password: "bench-password-1" };

export type HqBench = {
  sql: HqSql;
  /** Adds BENCH_VIEWER and serves head office on 127.0.0.1 (after seeding: the viewer is no row of the figures); its base URL. */
  serve(options: { timeZone: string }): Promise<string>;
};

/** Runs `bench` against head office on a throwaway cluster, stopped and removed after, however it ends. */
export async function withHqBench<T>(bench: (hq: HqBench) => Promise<T>): Promise<T> {
  let pg: TestPostgres | null = null;
  let sql: HqSql | null = null;
  const servers: ReturnType<typeof Bun.serve>[] = [];
  try {
    pg = await startPostgres();
    const open = openHq(pg.url);
    sql = open;
    await migrateHq(open);
    return await bench({
      sql: open,
      async serve({ timeZone }) {
        await addUser(open, { ...BENCH_VIEWER, role: "viewer", createdBy: "bench" });
        const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createHqApp(open, "bench", { timeZone }).fetch, development: false });
        servers.push(server);
        return `http://127.0.0.1:${server.port}`;
      },
    });
  } finally {
    for (const server of servers) await server.stop(true);
    await sql?.end({ timeout: 5 });
    await pg?.cleanup();
  }
}

/** `count` stores, "Store 001" on, under `epoch`, written straight into the table (nobody needs their tokens). */
export async function addBenchStores(sql: HqSql, count: number, epoch: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await sql`INSERT INTO stores (store_id, name, token_hash, epoch) VALUES (gen_random_uuid(), ${`Store ${String(i + 1).padStart(3, "0")}`}, ${`bench-${i}`}, ${epoch})`;
  }
}

/**
 * p50/p99 of `requests` GETs made one at a time, after `warmUp` more untimed: the i-th is `get(i)`. Each answer is read
 * to its end and must be 200, or the section fails saying `what` and the URL.
 */
export async function timeGets(what: string, get: (i: number) => Promise<Response>, counts: { warmUp: number; requests: number }): Promise<LatencySummary> {
  const once = async (i: number) => {
    const t0 = performance.now();
    const res = await get(i);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${what}: GET ${res.url} answered ${res.status}: ${body.slice(0, 300)}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < counts.warmUp; i++) await once(i);
  const times: number[] = [];
  for (let i = 0; i < counts.requests; i++) times.push(await once(i));
  return summarize(times);
}
