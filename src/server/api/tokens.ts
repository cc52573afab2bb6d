// API tokens: shown once, stored as a SHA-256 hash; each token sells as its own register, named after it.

import type { Database } from "bun:sqlite";
import { randomSecret, sha256Hex } from "../platform/auth/secrets.ts";
import { ensureRegister } from "../registers/records.ts";

export const tokenScopes = ["read", "sell", "admin"] as const;
export type TokenScope = (typeof tokenScopes)[number];
export type TokenHolder = { tokenId: number; name: string; registerId: number; scopes: TokenScope[] };

export function createToken(db: Database, name: string, at: string, scopes: readonly TokenScope[] = ["read", "sell"]): { token: string; registerId: number } {
  if (scopes.length === 0 || scopes.some((x) => !tokenScopes.includes(x))) throw new Error(`scopes are some of ${tokenScopes.join(", ")}`);
  const secret = randomSecret(24, "sf_");
  return db
    .transaction(() => {
      const exists = db.query("SELECT 1 FROM api_tokens WHERE name = ?").get(name);
      if (exists) throw new Error(`a token named "${name}" exists already; choose another name`);
      const registerId = ensureRegister(db, name, at);
      db.query("INSERT INTO api_tokens(name, prefix, hash, register_id, created_at, scopes) VALUES (?, ?, ?, ?, ?, ?)").run(
        name,
        secret.slice(0, 7),
        sha256Hex(secret),
        registerId,
        at,
        [...new Set(scopes)].join(","),
      );
      return { token: secret, registerId };
    })
    .immediate();
}

export function tokenAuthenticator(db: Database) {
  const find = db.query<{ id: number; name: string; register_id: number; scopes: string }, [string]>(
    "SELECT id, name, register_id, scopes FROM api_tokens WHERE hash = ? AND revoked_at IS NULL",
  );
  return (secret: string): TokenHolder | null => {
    const row = find.get(sha256Hex(secret));
    return row ? { tokenId: row.id, name: row.name, registerId: row.register_id, scopes: row.scopes.split(",") as TokenScope[] } : null;
  };
}
