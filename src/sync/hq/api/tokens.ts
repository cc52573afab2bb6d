// Bearer tokens for integrators reading head office's /api/v1: a random secret shown once, kept as its SHA-256. A token
// may be limited to some stores when it is made: its program then reads only theirs, as a person limited to them does.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { MAX_SECRET_LENGTH, randomSecret, sha256Hex } from "../../../server/platform/auth/secrets.ts";
import type { HqSql } from "../db/db.ts";

/** A token; `stores` are the stores it is limited to (their ids), null for every store. */
export type ApiToken = { id: number; name: string; stores: string[] | null };
export type ApiTokenRow = ApiToken & {
  /** the names of the stores it is limited to, null for every store */
  store_names: string[] | null;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_REGISTERED = "One of the ticked stores is not registered at head office; reload the page and tick them again.";

/** Make a token, limited to `stores` (null or none: every store); every one must be a registered store. */
export async function createApiToken(
  sql: HqSql,
  name: string,
  createdBy: string,
  stores: readonly string[] | null = null,
): Promise<ApiToken & { secret: string }> {
  const problem = textProblem(name, "The token's name", { max: 60 });
  if (problem) throw new Problem(problem.code, problem.message);
  const wanted = stores === null || stores.length === 0 ? null : [...new Set(stores.map((s) => s.toLowerCase()))].sort();
  if (wanted?.some((s) => !UUID.test(s))) throw new Problem("store_not_found", NOT_REGISTERED, { stores: await unregistered(sql, wanted) });
  const secret = randomSecret(32, "sfhqapi_");
  // the stores are checked in the statement that writes: a store that is not registered writes nothing
  const [row] = await sql<ApiToken[]>`
    INSERT INTO hq_api_tokens (name, token_hash, created_by, stores)
    SELECT ${name}, ${sha256Hex(secret)}, ${createdBy}, ${wanted}::uuid[]
    WHERE ${wanted === null ? sql`true` : sql`(SELECT count(*) FROM stores WHERE store_id = ANY(${wanted}::uuid[])) = ${wanted.length}`}
    RETURNING id, name, stores::text[]`;
  if (!row) throw new Problem("store_not_found", NOT_REGISTERED, { stores: await unregistered(sql, wanted ?? []) });
  return { ...row, secret };
}

/** Those of `stores` (lower-case ids) that are not registered at head office, for a refusal to name them. */
async function unregistered(sql: HqSql, stores: readonly string[]): Promise<string[]> {
  const ids = stores.filter((s) => UUID.test(s));
  const known = await sql<{ id: string }[]>`SELECT store_id::text AS id FROM stores WHERE store_id = ANY(${ids}::uuid[])`;
  return stores.filter((s) => !known.some((k) => k.id === s));
}

/** The live token a bearer secret belongs to (marked as used now), with the stores it is limited to, or null. */
export async function apiTokenFor(sql: HqSql, secret: string): Promise<ApiToken | null> {
  if (secret.length > MAX_SECRET_LENGTH) return null;
  const [row] = await sql<ApiToken[]>`
    UPDATE hq_api_tokens SET last_used_at = now() WHERE token_hash = ${sha256Hex(secret)} AND revoked_at IS NULL RETURNING id, name, stores::text[]`;
  return row ?? null;
}

export async function listApiTokens(sql: HqSql): Promise<ApiTokenRow[]> {
  return sql<ApiTokenRow[]>`
    SELECT t.id, t.name, t.stores::text[], t.created_at, t.created_by, t.last_used_at, t.revoked_at,
      CASE WHEN t.stores IS NOT NULL THEN ARRAY(SELECT s.name FROM stores s WHERE s.store_id = ANY(t.stores) ORDER BY s.name) END AS store_names
    FROM hq_api_tokens t ORDER BY t.revoked_at NULLS FIRST, t.id`;
}

export async function revokeApiToken(sql: HqSql, id: number): Promise<{ id: number; name: string } | null> {
  const [row] = await sql<{ id: number; name: string }[]>`
    UPDATE hq_api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING id, name`;
  return row ?? null;
}
