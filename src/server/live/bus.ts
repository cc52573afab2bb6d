// The in-process bus of live state (DESIGN §5): actions publish after COMMIT, each open /events stream subscribes.
// Every subscriber has a queue of its own with a limit: a browser that reads slowly (a tablet asleep, a bad Wi-Fi)
// loses its oldest messages rather than growing the server's memory. That is safe because every message says the
// whole of what it is about (the low-stock count as it is now, the printer's status as it is now), so a later one
// puts right what an earlier, dropped one would have said.

import { type Logger, stderrLog } from "../platform/log/log.ts";

/** How many messages one subscriber may have waiting before the oldest go. */
export const QUEUE_LIMIT = 256;

export type Subscription<E> = {
  /** What is waiting, oldest first; waits for something when nothing is. null once the subscription is closed. */
  next(): Promise<E[] | null>;
  /** No more messages; a `next()` waiting now answers null. */
  close(): void;
  readonly closed: boolean;
  /**
   * `f` runs once when the subscription closes, whoever closes it (the stream hung up, its session ended, the store is
   * closing); at once when it is closed already. What holds resources for the subscription lets them go here.
   */
  onClose(f: () => void): void;
  /** How many messages were dropped because this subscriber fell behind. */
  readonly dropped: number;
};

export type Bus<E> = {
  /** To every subscriber that wants it; never waits and never throws for a subscriber. */
  publish(event: E): void;
  /** `wants` picks what this subscriber is told (decided when it subscribes: who asks, which register). */
  subscribe(wants: (event: E) => boolean, limit?: number): Subscription<E>;
  /** How many subscribers are open. */
  size(): number;
  /** Close every subscription (the store is shutting down): the streams end, so the server can stop. */
  closeAll(): void;
};

export function bus<E>(defaultLimit = QUEUE_LIMIT, log: Logger = stderrLog): Bus<E> {
  const open = new Set<Subscriber<E>>();

  return {
    publish(event) {
      for (const s of open) if (s.wants(event)) s.push(event);
    },
    subscribe(wants, limit = defaultLimit) {
      const s = subscriber(wants, Math.max(1, limit), () => open.delete(s), log);
      open.add(s);
      return s.subscription;
    },
    size: () => open.size,
    closeAll() {
      for (const s of [...open]) s.subscription.close();
    },
  };
}

type Subscriber<E> = { wants: (event: E) => boolean; push(event: E): void; subscription: Subscription<E> };

function subscriber<E>(wants: (event: E) => boolean, limit: number, forget: () => void, log: Logger): Subscriber<E> {
  let queue: E[] = [];
  let waiting: ((batch: E[] | null) => void) | null = null;
  let closed = false;
  let dropped = 0;
  let closing: (() => void)[] = [];

  const subscription: Subscription<E> = {
    next() {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        return Promise.resolve(batch);
      }
      if (closed) return Promise.resolve(null);
      // one reader per subscription: a second waiting reader would leave the first hanging
      if (waiting) throw new Error("a subscription is read by one reader at a time");
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close() {
      if (closed) return;
      closed = true;
      queue = [];
      forget();
      const w = waiting;
      waiting = null;
      w?.(null);
      const told = closing;
      closing = [];
      for (const f of told) {
        try {
          f();
        } catch (err) {
          // one listener's fault neither keeps the others from running nor reaches whoever closed the subscription
          log.error("live.on_close_failed", { msg: "a listener failed on closing a subscription", err });
        }
      }
    },
    onClose(f) {
      if (closed) f();
      else closing.push(f);
    },
    get closed() {
      return closed;
    },
    get dropped() {
      return dropped;
    },
  };

  return {
    wants,
    subscription,
    push(event) {
      if (closed) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w([event]);
        return;
      }
      if (queue.length >= limit) {
        queue.shift();
        dropped++;
      }
      queue.push(event);
    },
  };
}
