// Idempotency-Key for the POSTs that create things (a sale, a return): the key is kept with a hash of the request in
// the creating transaction, so a retry of the same request answers what the first one made and never makes a second.
import type { Database } from "bun:sqlite";
import type { Context } from "hono";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { sha256Hex } from "../platform/auth/secrets.ts";
import type { ApiEnv } from "./auth.ts";

const visibleAscii = /^[\x21-\x7e]{1,255}$/;

/** What a key made: a sale, or a return (with the sale it took goods back from). */
export type Made = { saleId: string; returnId: string | null };

export function idempotencyKeys(db: Database, clock: Clock) {
  const find = db.query<{ request_hash: string; sale_id: string; return_id: string | null }, [number, string]>(
    "SELECT request_hash, sale_id, return_id FROM idempotency_keys WHERE token_id = ? AND key = ?",
  );
  const insert = db.query("INSERT INTO idempotency_keys(token_id, key, request_hash, sale_id, return_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");

  /**
   * Make something once per key. `create` makes it and calls `remember` inside its own transaction; `answer` says what
   * was made, for the first request and for every replay of it. A key used for another request (or the other kind of
   * thing) is refused with `reused`.
   */
  return function once(
    c: Context<ApiEnv>,
    body: unknown,
    kind: "sale" | "return",
    reused: string,
    create: (remember: (made: Made) => void) => Response,
    answer: (made: Made) => Response,
  ): Response {
    const key = c.req.header("Idempotency-Key");
    if (key === undefined) return create(() => {});
    if (!visibleAscii.test(key)) throw new Problem("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    const tokenId = c.get("holder").tokenId;
    const requestHash = sha256Hex(JSON.stringify(body));
    const replay = (): Response | null => {
      const seen = find.get(tokenId, key);
      if (!seen) return null;
      if (seen.request_hash !== requestHash || (seen.return_id !== null) !== (kind === "return")) throw new Problem("idempotency_key_reused", reused);
      c.header("Idempotent-Replayed", "true");
      return answer({ saleId: seen.sale_id, returnId: seen.return_id });
    };
    const earlier = replay();
    if (earlier) return earlier;
    try {
      return create((made) => insert.run(tokenId, key, requestHash, made.saleId, made.returnId, clock.now().toISOString()));
    } catch (e) {
      // Two requests with one key at once: the second loses the insert race and answers as a replay.
      if (e instanceof Error && /UNIQUE constraint failed: idempotency_keys/.test(e.message)) {
        const again = replay();
        if (again) return again;
      }
      throw e;
    }
  };
}
