// The live channel of the store: what the open /events streams are told, and when. Low stock comes from the rows the
// database trigger writes (low_stock_events), read right after an action's COMMIT — `afterCommit()` — and once a
// second whatever wrote them (a CLI import, a path nobody wired); a printer's status when the print worker finds it
// changed. Built once by the composition root, which also starts its timer and closes it.
import type { Database } from "bun:sqlite";
import { type Logger, stderrLog } from "../platform/log/log.ts";
import { type Bus, bus, type Subscription } from "./bus.ts";
import { type LowStockAlert, lowStockFeed, REPLAY_LIMIT } from "./low-stock-feed.ts";
import { type StreamHolder, type StreamLimits, streamLimits } from "./stream-limits.ts";

export type LiveEvent = { kind: "low-stock"; alert: LowStockAlert } | { kind: "printer-status"; printerId: number };

/** Who a stream is for: supervisors and up are told of low stock; a register is told of its printer. */
export type Listener = { lowStock: boolean; registerId: number | null };

/** The safety net's beat; an action that calls afterCommit is told at once. */
export const FLUSH_EVERY_MS = 1000;
/** Old alerts are pruned every this many beats. */
const PRUNE_EVERY_BEATS = 60;

export function liveChannel(deps: { db: Database; limits?: StreamLimits; log?: Logger }) {
  const { db } = deps;
  const log = deps.log ?? stderrLog;
  const feed = lowStockFeed(db);
  const events: Bus<LiveEvent> = bus<LiveEvent>(undefined, log);
  const slots = streamLimits(deps.limits);
  // what is already told: a store that starts now says nothing of what happened before it started
  let told = feed.lastId();
  let scheduled = false;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let beats = 0;

  /**
   * Tell the subscribers of the alerts written since the last flush. Never inside a transaction: what it read might
   * still be rolled back, and an id SQLite hands out again would then be skipped.
   */
  function flush(): number {
    if (closed || db.inTransaction) return 0;
    let count = 0;
    for (;;) {
      const { alerts, lastId } = feed.after(told);
      if (lastId === told) return count;
      told = lastId;
      for (const alert of alerts) events.publish({ kind: "low-stock", alert });
      count += alerts.length;
    }
  }

  function flushNow(): void {
    scheduled = false;
    if (closed) return;
    // bun:sqlite commits synchronously, so a microtask queued inside a transaction runs after its COMMIT; a flush that
    // still finds one open (an action of a caller's own) tries again once it is over
    if (db.inTransaction) {
      setTimeout(afterCommit, 0);
      return;
    }
    try {
      flush();
    } catch (err) {
      log.error("live.flush_failed", { msg: "low-stock alerts were not told", err });
    }
  }

  /** After an action's COMMIT (or inside its transaction: it waits for the commit): tell what it changed, at once. */
  function afterCommit(): void {
    if (scheduled || closed) return;
    scheduled = true;
    queueMicrotask(flushNow);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function beat(): void {
    flushNow();
    if (++beats % PRUNE_EVERY_BEATS !== 0) return;
    try {
      feed.prune();
    } catch (err) {
      // a database that refuses changes (failed integrity check) keeps its alerts; nothing else depends on pruning
      log.error("live.prune_failed", { msg: "old low-stock alerts were not pruned", err });
    }
  }

  return {
    afterCommit,
    /** `action` with afterCommit called each time it returns (or throws: a refusal wrote nothing, telling costs little). */
    announcing<A extends unknown[], R>(action: (...a: A) => R): (...a: A) => R {
      return (...a: A): R => {
        try {
          return action(...a);
        } finally {
          afterCommit();
        }
      };
    },
    /** Read and tell now (outside a transaction); how many alerts were told. */
    flush,
    /** The print worker recorded a new status for this printer (it is committed: one statement). */
    printerStatusChanged(printerId: number): void {
      if (!closed) events.publish({ kind: "printer-status", printerId });
    },
    /**
     * A stream's subscription: low-stock alerts for a supervisor and up, printer news for a register. It holds one of
     * `holder`'s slots until it closes; throws `too_many_streams` when the session, the device or the store has none.
     */
    subscribe(who: Listener, holder: StreamHolder): Subscription<LiveEvent> {
      const release = slots.take(holder);
      const sub = events.subscribe((e) => (e.kind === "low-stock" ? who.lowStock : who.registerId !== null));
      sub.onClose(release);
      if (closed) sub.close(); // the store is closing: nothing more will be told
      return sub;
    },
    /** The alerts already told after `id` (a browser's Last-Event-ID), a few at most: what a reconnecting page missed. */
    missedSince(id: number): LowStockAlert[] {
      if (id >= told) return [];
      return feed.after(id, REPLAY_LIMIT).alerts.filter((a) => a.id <= told);
    },
    /** The newest alert told: a stream skips queued alerts it has already replayed. */
    toldUpTo: () => told,
    /** How many products are at or under their reorder point now (the badge). */
    lowCount: () => feed.lowCount(),
    /** How many streams are open. */
    listeners: () => events.size(),
    /** The safety net: a flush every second, and old alerts pruned now and then. */
    start(everyMs = FLUSH_EVERY_MS): void {
      if (closed) return;
      timer ??= setInterval(beat, everyMs);
    },
    stop,
    /** The store is closing: the timer stops and every stream ends (so the server can stop; the database is closing). */
    close(): void {
      stop();
      closed = true;
      events.closeAll();
    },
  };
}

export type LiveChannel = ReturnType<typeof liveChannel>;
