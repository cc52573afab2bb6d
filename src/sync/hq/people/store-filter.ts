// The stores a person may see. A person limited to some stores sees only those on the overview, store pages, dead
// letters, reconciliation, stock, store prices and /events; an API token limited to some stores reads only theirs on
// /api/v1. Everyone else sees every store. One helper the queries take, so a limit is never a per-route check.
import type { Context, MiddlewareHandler } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { HqSql } from "../db/db.ts";
import type { HqEnv } from "./guard.ts";

/** The stores a person may see (their ids), or null for every store. */
export type StoreFilter = readonly string[] | null;

/**
 * The store filter of whoever asks: a person's from their session, a program's from its API token (set by the bearer
 * guard on /api/v1), each read with it on every request.
 */
export const storeFilterOf = (c: Context<HqEnv>): StoreFilter => {
  const token = c.get("apiToken");
  return token ? token.stores : (c.get("user")?.stores ?? null);
};

/** Whether a store is one the person may see. */
export const maySee = (filter: StoreFilter, storeId: string): boolean => filter === null || filter.includes(storeId.toLowerCase());

/**
 * The condition of a query that keeps only the stores a person may see: `AND <column> = ANY(...)`, or nothing. The
 * column is named as the query names it ("st.store_id", "x.store_id").
 */
export function storesIn(sql: HqSql, filter: StoreFilter, column: string) {
  return filter === null ? sql`` : sql`AND ${sql(column)} = ANY(${filter as string[]}::uuid[])`;
}

/** Only the rows of stores the person may see, for results a query elsewhere made for every store. */
export const onlySeen = <R extends { store_id: string }>(filter: StoreFilter, rows: readonly R[]): R[] =>
  filter === null ? [...rows] : rows.filter((r) => maySee(filter, r.store_id));

/** Middleware for routes under a store's id (`/:id`): a store the person may not see is one head office does not have. */
export const onlySeenStore: MiddlewareHandler<HqEnv> = async (c, next) => {
  if (!maySee(storeFilterOf(c), c.req.param("id") ?? "")) throw new Problem("store_not_found", "This store is not registered at head office.");
  await next();
};

/** Middleware for routes under a dead letter's number (`/:id`): one of a store the person may not see does not exist. */
export const seenDeadLetter =
  (sql: HqSql): MiddlewareHandler<HqEnv> =>
  async (c, next) => {
    const filter = storeFilterOf(c);
    if (filter !== null) {
      const id = Number(c.req.param("id"));
      const [row] = Number.isSafeInteger(id)
        ? await sql<{ store_id: string }[]>`
            SELECT store_id::text FROM dead_letters WHERE id = ${id} UNION ALL SELECT store_id::text FROM settled_dead_letters WHERE id = ${id} LIMIT 1`
        : [];
      if (!row || !maySee(filter, row.store_id)) throw new Problem("dead_letter_not_found", "Head office has no dead letter by that number.");
    }
    await next();
  };
