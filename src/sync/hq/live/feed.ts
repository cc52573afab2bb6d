// Low stock as it happens, for the dashboard's /events streams: one LISTEN low_stock for the whole process (postgres.js
// keeps one connection for its listens and listens again after a reconnect), fanned out to each open stream through a
// bounded queue of its own. The notices come from hq_stock_levels_follow (db/functions/), sent when a batch commits.
//
// A stream that falls behind (a slow browser) loses what was queued for it and gets one "reread" notice instead: the
// pages reread their list on any notice, so nothing they show is lost, and one slow reader holds no memory for the rest.
// After the LISTEN connection was lost, notices sent meanwhile are gone: every stream is told to reread, the same way.
// A stream of a person limited to some stores is told only of those stores' stock (a reread is for everyone).
import type { HqSql } from "../db/db.ts";
import { maySee, type StoreFilter } from "../people/store-filter.ts";

export const LOW_STOCK_CHANNEL = "low_stock";

/** One server-sent event: its name, and its data (the notice's JSON). */
export type LiveNotice = { event: string; data: string };

/** What a stream is told when it may have missed notices: reread what you show. */
export const REREAD: LiveNotice = { event: LOW_STOCK_CHANNEL, data: '{"reread":true}' };

/** One stream's end of the feed. `next` waits up to `ms` for a notice: null when none came, "closed" once closed. */
export type Subscription = { next(ms: number): Promise<LiveNotice | null | "closed">; close(): void };

/** `storeId`: the store a notice is about, or null for one to every stream (a reread). */
type Subscriber = Subscription & { push(n: LiveNotice, storeId: string | null): void };

/** The store a low-stock notice is about, or null when it names none (it then reaches every stream). */
function storeOf(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { store_id?: unknown }).store_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function subscriber(max: number, stores: StoreFilter, onClose: (s: Subscriber) => void): Subscriber {
  const queue: LiveNotice[] = [];
  let behind = false;
  let closed = false;
  let wake: (() => void) | null = null;
  const self: Subscriber = {
    push(n, storeId) {
      if (closed || (storeId !== null && !maySee(stores, storeId))) return;
      if (queue.length >= max) {
        queue.length = 0;
        behind = true;
      } else if (!behind) queue.push(n);
      wake?.();
    },
    async next(ms) {
      if (!closed && !behind && queue.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      if (closed) return "closed";
      if (behind) {
        behind = false;
        return REREAD;
      }
      return queue.shift() ?? null;
    },
    close() {
      if (closed) return;
      closed = true;
      queue.length = 0;
      onClose(self);
      wake?.();
    },
  };
  return self;
}

/** `queue`: notices one stream may have waiting; `checkMs`, `heardWithinMs`: how often LISTEN is checked, how long its own notice may take. */
export function liveFeed(sql: HqSql, options: { queue?: number; checkMs?: number; heardWithinMs?: number } = {}) {
  const max = options.queue ?? 100;
  const checkMs = options.checkMs ?? 30_000;
  const heardWithinMs = options.heardWithinMs ?? 5000;
  const subscribers = new Set<Subscriber>();
  let listening: Promise<void> | null = null;
  // each LISTEN of this feed is a generation; only the latest speaks (postgres.js may bring an older one back later)
  let generation = 0;
  let listens = 0;
  let beat: { token: string; heard: () => void } | null = null;
  let checking: ReturnType<typeof setInterval> | null = null;

  const publish = (n: LiveNotice, storeId: string | null = null) => {
    for (const s of subscribers) s.push(n, storeId);
  };

  function notified(payload: string, gen: number): void {
    // a check's own notice (this process's or another's) is for the feeds, not for the pages
    if (payload.startsWith('{"beat":')) {
      if (beat && payload.includes(beat.token)) beat.heard();
      return;
    }
    if (gen === generation) publish({ event: LOW_STOCK_CHANNEL, data: payload }, storeOf(payload));
  }

  /** LISTEN once for the process; a failed attempt is tried again by the next subscriber or check. */
  function listen(): Promise<void> {
    if (listening) return listening;
    const gen = ++generation;
    listening = sql
      .listen(
        LOW_STOCK_CHANNEL,
        (payload) => notified(payload, gen),
        // on every LISTEN, the first and each one after a lost connection: after one, notices may have been missed
        () => {
          if (gen === generation && listens++ > 0) publish(REREAD);
        },
      )
      .then(
        () => undefined,
        (e: unknown) => {
          listening = null;
          throw e;
        },
      );
    return listening;
  }

  /**
   * Whether the LISTEN still hears: a notice of its own on the channel, which must come back. postgres.js listens again
   * after a lost connection, but gives up in silence when the server stays away longer than its connect timeout. When
   * the notice does not come back, LISTEN again (the pages are told to reread).
   */
  async function check(): Promise<void> {
    if (subscribers.size === 0 || beat) return;
    const token = crypto.randomUUID();
    const heard = new Promise<boolean>((resolve) => {
      beat = { token, heard: () => resolve(true) };
      setTimeout(() => resolve(false), heardWithinMs).unref?.();
    });
    try {
      await sql`SELECT pg_notify(${LOW_STOCK_CHANNEL}, ${JSON.stringify({ beat: token })})`;
      if (await heard) return;
      listening = null;
      await listen();
    } catch {
      // the database is away: the next check tries again
    } finally {
      beat = null;
    }
  }

  return {
    /**
     * A stream's subscription, once LISTEN is in place: a notice of anything committed after this resolves reaches it,
     * when it is about a store in `stores` (null: every store). Rejects when the database cannot be reached.
     */
    async subscribe(stores: StoreFilter = null): Promise<Subscription> {
      await listen();
      const s = subscriber(max, stores, (gone) => subscribers.delete(gone));
      subscribers.add(s);
      if (!checking) {
        checking = setInterval(() => void check(), checkMs);
        checking.unref?.();
      }
      return s;
    },
    /** How many streams are subscribed now. */
    subscribers: () => subscribers.size,
    /** End every subscription (their streams end) and the checks; the LISTEN connection ends with the pool (sql.end). */
    close(): void {
      if (checking) clearInterval(checking);
      checking = null;
      for (const s of [...subscribers]) s.close();
    },
  };
}

export type LiveFeed = ReturnType<typeof liveFeed>;
