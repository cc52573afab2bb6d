// Idempotency-Key for the POSTs that create things (a sale, a return, a product, a delivery, an adjustment): the key is
// kept with a hash of the request in the creating transaction, so a retry of the same request answers what the first
// one made and never makes a second.
import type { Database } from "bun:sqlite";
import type { Context } from "hono";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { sha256Hex } from "../platform/auth/secrets.ts";
import type { ApiEnv } from "./auth.ts";

const visibleAscii = /^[\x21-\x7e]{1,255}$/;

/** What a key made: a sale, or a return (with the sale it took goods back from). */
export type Made = { saleId: string; returnId: string | null };

/** What else a key may make: a product, a bulk upsert of products, a delivery, a stock adjustment. */
export type MadeKind = "product" | "products" | "delivery" | "adjustment";

/** What such a key keeps: the id of what it made, and (a bulk upsert) the answer it gave, which cannot be read back later. */
export type Kept = { made: string; reply: string | null };

type KeyRow = { request_hash: string; kind: string; sale_id: string | null; return_id: string | null; made: string | null; reply: string | null };
type Remembered = Omit<KeyRow, "request_hash" | "kind">;

/**
 * Make something once per key. `create` makes it and calls `remember` inside its own transaction; `answer` says what
 * was made, for the first request and for every replay of it. A key used for another request (or another kind of
 * thing) is refused with `reused`.
 */
function keyed(db: Database, clock: Clock) {
  const find = db.query<KeyRow, [number, string]>(
    "SELECT request_hash, kind, sale_id, return_id, made, reply FROM idempotency_keys WHERE token_id = ? AND key = ?",
  );
  const insert = db.query(
    "INSERT INTO idempotency_keys(token_id, key, request_hash, kind, sale_id, return_id, made, reply, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  return (
    c: Context<ApiEnv>,
    body: unknown,
    kind: string,
    reused: string,
    create: (remember: (made: Remembered) => void) => Response,
    answer: (seen: KeyRow) => Response,
  ): Response => {
    const key = c.req.header("Idempotency-Key");
    if (key === undefined) return create(() => {});
    if (!visibleAscii.test(key)) throw new Problem("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    const tokenId = c.get("holder").tokenId;
    const requestHash = sha256Hex(JSON.stringify(body));
    const replay = (): Response | null => {
      const seen = find.get(tokenId, key);
      if (!seen) return null;
      if (seen.request_hash !== requestHash || seen.kind !== kind) throw new Problem("idempotency_key_reused", reused);
      c.header("Idempotent-Replayed", "true");
      return answer(seen);
    };
    const earlier = replay();
    if (earlier) return earlier;
    try {
      return create((m) => insert.run(tokenId, key, requestHash, kind, m.sale_id, m.return_id, m.made, m.reply, clock.now().toISOString()));
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

/** Keys for sales and returns. */
export function idempotencyKeys(db: Database, clock: Clock) {
  const once = keyed(db, clock);
  return (
    c: Context<ApiEnv>,
    body: unknown,
    kind: "sale" | "return",
    reused: string,
    create: (remember: (made: Made) => void) => Response,
    answer: (made: Made) => Response,
  ): Response =>
    once(
      c,
      body,
      kind,
      reused,
      (remember) => create((m) => remember({ sale_id: m.saleId, return_id: m.returnId, made: null, reply: null })),
      (seen) => answer({ saleId: seen.sale_id!, returnId: seen.return_id }),
    );
}

/** Keys for products and stock documents: the same rules, keeping the id of what was made. */
export function madeOnce(db: Database, clock: Clock) {
  const once = keyed(db, clock);
  return (
    c: Context<ApiEnv>,
    body: unknown,
    kind: MadeKind,
    reused: string,
    create: (remember: (kept: Kept) => void) => Response,
    answer: (kept: Kept) => Response,
  ): Response =>
    once(
      c,
      body,
      kind,
      reused,
      (remember) => create((k) => remember({ sale_id: null, return_id: null, made: k.made, reply: k.reply })),
      (seen) => answer({ made: seen.made ?? "", reply: seen.reply }),
    );
}
