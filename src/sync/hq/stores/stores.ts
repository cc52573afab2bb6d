// Stores known to head office: registered with a secret token shown once, found again by that token.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { randomSecret, sha256Hex } from "../../../server/platform/auth/secrets.ts";
import type { HqSql } from "../db/db.ts";

export type RegisteredStore = { storeId: string; token: string };

export async function addStore(sql: HqSql, name: string): Promise<RegisteredStore> {
  const problem = textProblem(name, "The store's name", { max: 100 });
  if (problem) throw new Problem(problem.code, problem.message);
  const storeId = Bun.randomUUIDv7();
  const token = randomSecret(32, "sfhq_");
  await sql`INSERT INTO stores (store_id, name, token_hash) VALUES (${storeId}, ${name}, ${sha256Hex(token)})`;
  return { storeId, token };
}

/** The store a bearer token belongs to, or null. Tokens are random 256-bit secrets, so a plain SHA-256 suffices. */
export async function storeForToken(sql: HqSql, token: string): Promise<string | null> {
  const [row] = await sql<{ store_id: string }[]>`SELECT store_id::text FROM stores WHERE token_hash = ${sha256Hex(token)}`;
  return row?.store_id ?? null;
}
