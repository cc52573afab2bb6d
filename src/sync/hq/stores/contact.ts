// How a store's link stands at head office: every exchange it makes counts (a batch, a catalog pull, a receipt
// lookup), and a refused one leaves its reason and time on the store's row (migration 012), so a connected idle store
// is not "never heard from" and a wrong token shows before the store's next sale.
import type { Context } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { type Logger, stderrLog } from "../../../server/platform/log/log.ts";
import { OUTBOX_HEAD_HEADER, type OutboxHead, readOutboxHead } from "../../contracts.ts";
import type { HqSql } from "../db/db.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The exchanges a store makes under /sync/v1, by name: what a later success of the same kind resolves. */
export type Exchange = "batches" | "catalog/changes" | "catalog/report" | "receipts" | "sales" | "store-facts" | "other";

export function exchangeOf(path: string): Exchange {
  const [first, second] = path.replace(/^.*?\/sync\/v1\//, "").split("/");
  if (first === "catalog") return second === "changes" ? "catalog/changes" : second === "report" ? "catalog/report" : "other";
  return first === "batches" || first === "receipts" || first === "sales" || first === "store-facts" ? first : "other";
}

/** Refusals the store gets past by itself (it sends from where head office stands, or a smaller batch): not its errors. */
const notErrors: ReadonlySet<string> = new Set(["gap", "batch_too_large", "body_too_large"]);

export type ExchangeOutcome = { ok: true } | { ok: false; code: string; message: string };

/** What a refused exchange means for the store's sales: a refused batch or an unknown token stops them arriving. */
const blocksSales = (exchange: Exchange, code: string) => exchange === "batches" || code === "store_token_invalid";

/**
 * Record one authenticated exchange: the store was heard from, what waits at it, and, if refused, why. A figure for
 * people, never part of what the exchange did: the caller keeps its answer whatever happens here.
 */
export async function recordExchange(sql: HqSql, storeId: string, exchange: Exchange, head: OutboxHead | null, outcome: ExchangeOutcome): Promise<void> {
  const top = head?.top ?? null;
  const waiting = head?.waitingSeconds ?? 0;
  const linkNow = sql`last_contact_at = now(), outbox_top = coalesce(${top}::int8, outbox_top),
    waiting_since = CASE WHEN ${top}::int8 IS NULL THEN waiting_since WHEN ${top}::int8 <= last_seq THEN NULL
      ELSE now() - make_interval(secs => ${waiting}::int8) END`;
  if (!outcome.ok && notErrors.has(outcome.code)) {
    await sql`UPDATE stores SET ${linkNow} WHERE store_id = ${storeId}::uuid`;
    return;
  }
  if (outcome.ok) {
    await sql`UPDATE stores SET ${linkNow},
        last_error_resolved_at = CASE WHEN last_error_at IS NOT NULL AND last_error_resolved_at IS NULL
          AND (last_error_exchange = ${exchange} OR last_error_code = 'store_token_invalid') THEN now() ELSE last_error_resolved_at END,
        sales_blocked_at = CASE WHEN ${exchange} = 'batches' OR last_error_code = 'store_token_invalid' THEN NULL ELSE sales_blocked_at END
      WHERE store_id = ${storeId}::uuid`;
    return;
  }
  await sql`UPDATE stores SET ${linkNow}, ${refusedColumns(sql, exchange, outcome.code, outcome.message)} WHERE store_id = ${storeId}::uuid`;
}

/**
 * A request in a registered store's name with a token head office does not know (mistyped, or replaced at head office
 * and not yet at the store): said on that store's row, so nobody waits for its next sale to find out. The store was
 * not heard from — whoever sent it is not known to be the store — so only the error is written, in our own words.
 */
export async function recordUnknownToken(sql: HqSql, claimedStoreId: string | undefined, path: string): Promise<void> {
  if (claimedStoreId === undefined || !uuid.test(claimedStoreId)) return;
  const message =
    "A request came in this store's name with a token head office does not know: give the store its current token (Devices, or 'shopflow hq store add').";
  await sql`UPDATE stores SET ${refusedColumns(sql, exchangeOf(path), "store_token_invalid", message)} WHERE store_id = ${claimedStoreId}::uuid`;
}

function refusedColumns(sql: HqSql, exchange: Exchange, code: string, message: string) {
  return sql`last_error_code = ${code.slice(0, 100)}, last_error = ${message.slice(0, 1000)}, last_error_exchange = ${exchange},
    last_error_at = now(), last_error_resolved_at = NULL,
    sales_blocked_at = CASE WHEN ${blocksSales(exchange, code)}::boolean THEN coalesce(sales_blocked_at, now()) ELSE sales_blocked_at END`;
}

/**
 * Seconds head office is behind the store, from what the store said waits there at its last exchange: 0 when nothing
 * waited, else since its oldest waiting item was made; null for a store never heard from. A store that never said
 * (one from before the outbox head was sent) counts from its last contact, as before. `st` is the stores row.
 */
export function storeLag(sql: HqSql) {
  return sql`CASE WHEN st.last_contact_at IS NULL THEN NULL
    WHEN st.outbox_top IS NOT NULL AND st.outbox_top <= st.last_seq THEN 0
    ELSE greatest(floor(extract(epoch FROM now() - coalesce(st.waiting_since, st.last_contact_at))), 0) END::int8`;
}

/**
 * After head office answered an authenticated exchange: record it, taken or refused, with the outbox head the store
 * sent. Never fails the exchange: a batch merged stays merged and acknowledged even if this cannot be written.
 */
export async function noteExchange(sql: HqSql, c: Context, storeId: string, log: Logger = stderrLog): Promise<void> {
  try {
    const head = readOutboxHead(c.req.header(OUTBOX_HEAD_HEADER));
    const outcome = c.res.status < 400 ? ({ ok: true } as const) : await refusalOf(c);
    await recordExchange(sql, storeId, exchangeOf(c.req.path), head, outcome);
  } catch (err) {
    log.error("hq.exchange_not_recorded", { msg: `the exchange of store ${storeId} was not recorded`, store: storeId, err });
  }
}

/** The code and sentence of a refusal: the problem thrown, or the error body a route answered with. */
async function refusalOf(c: Context): Promise<ExchangeOutcome> {
  if (c.error instanceof Problem) return { ok: false, code: c.error.code, message: c.error.message };
  const body = (await c.res
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  const code = typeof body?.error?.code === "string" ? body.error.code : `http_${c.res.status}`;
  const message = typeof body?.error?.message === "string" ? body.error.message : `Head office answered ${c.res.status}.`;
  return { ok: false, code, message };
}

/**
 * The columns of a store's link as pages show it (StoreContactView, views/hq/stores.tsx), for a query over `stores st`:
 * `SELECT ..., ${contactColumns(sql)} FROM stores st ...`.
 */
export function contactColumns(sql: HqSql) {
  return sql`st.last_contact_at, ${storeLag(sql)} AS lag,
    CASE WHEN st.outbox_top IS NOT NULL THEN greatest(st.outbox_top - st.last_seq, 0) END AS items_waiting,
    st.last_error_code, st.last_error, st.last_error_at, st.last_error_resolved_at`;
}
