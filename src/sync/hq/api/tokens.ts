// Bearer tokens for integrators reading head office's /api/v1: a random secret shown once, kept as its SHA-256.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { MAX_SECRET_LENGTH, randomSecret, sha256Hex } from "../../../server/platform/auth/secrets.ts";
import type { HqSql } from "../db/db.ts";

export type ApiToken = { id: number; name: string };
export type ApiTokenRow = ApiToken & { created_at: Date; created_by: string | null; last_used_at: Date | null; revoked_at: Date | null };

export async function createApiToken(sql: HqSql, name: string, createdBy: string): Promise<ApiToken & { secret: string }> {
  const problem = textProblem(name, "The token's name", { max: 60 });
  if (problem) throw new Problem(problem.code, problem.message);
  const secret = randomSecret(32, "sfhqapi_");
  const [row] = await sql<ApiToken[]>`
    INSERT INTO hq_api_tokens (name, token_hash, created_by) VALUES (${name}, ${sha256Hex(secret)}, ${createdBy}) RETURNING id, name`;
  return { ...row!, secret };
}

/** The live token a bearer secret belongs to (marked as used now), or null. */
export async function apiTokenFor(sql: HqSql, secret: string): Promise<ApiToken | null> {
  if (secret.length > MAX_SECRET_LENGTH) return null;
  const [row] = await sql<ApiToken[]>`
    UPDATE hq_api_tokens SET last_used_at = now() WHERE token_hash = ${sha256Hex(secret)} AND revoked_at IS NULL RETURNING id, name`;
  return row ?? null;
}

export async function listApiTokens(sql: HqSql): Promise<ApiTokenRow[]> {
  return sql<ApiTokenRow[]>`SELECT id, name, created_at, created_by, last_used_at, revoked_at FROM hq_api_tokens ORDER BY revoked_at NULLS FIRST, id`;
}

export async function revokeApiToken(sql: HqSql, id: number): Promise<ApiToken | null> {
  const [row] = await sql<ApiToken[]>`UPDATE hq_api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING id, name`;
  return row ?? null;
}
