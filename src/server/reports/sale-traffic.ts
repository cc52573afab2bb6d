// Whether the store is selling right now: the register's and the API's sale requests say when they begin and end,
// and background work that shares the event loop and the writer with them (the bought-together counter) waits for a
// quiet moment instead of making a cashier wait.
import type { MiddlewareHandler } from "hono";

export type SaleTraffic = ReturnType<typeof saleTraffic>;

/** `now` in milliseconds of a monotonic clock (tests and the store use the process's own). */
export function saleTraffic(now: () => number = () => performance.now()) {
  let inFlight = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  const begin = (): (() => void) => {
    inFlight++;
    lastAt = now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      inFlight--;
      lastAt = now();
    };
  };
  return {
    begin,
    /** Milliseconds since the last sale request began or ended; 0 while one is under way. */
    quietFor(): number {
      return inFlight > 0 ? 0 : Math.max(0, now() - lastAt);
    },
    /** The middleware the selling routes wear: each request is traffic from its start to its answer. */
    watch: (async (_c, next) => {
      const end = begin();
      try {
        await next();
      } finally {
        end();
      }
    }) satisfies MiddlewareHandler,
  };
}
