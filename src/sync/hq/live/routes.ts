// GET /events: the dashboard's server-sent events, for people signed in (where it is mounted says who may): each low-stock
// notice of the chain as event "low_stock" with its JSON, a comment now and then so proxies keep a quiet stream open, and
// an end after a while — the browser (htmx's SSE extension) connects again, and sign-in is checked again with it. A
// person limited to some stores hears only of theirs.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { type Logger, stderrLog } from "../../../server/platform/log/log.ts";
import { type HqEnv, requireRole } from "../people/guard.ts";
import { storeFilterOf } from "../people/store-filter.ts";
import type { LiveFeed } from "./feed.ts";

export type LiveOptions = {
  /** How long a quiet stream waits before it says it is still there. */
  heartbeatMs?: number;
  /** How long one stream lasts before the browser is asked to connect again. */
  lifetimeMs?: number;
  /** Where a stream that failed is logged (default: stderr). */
  log?: Logger;
};

/** What Bun's server is, as far as a stream needs it: its idle timeout would end a quiet stream, so none for this one. */
type ServerTimeout = { timeout?: (request: Request, seconds: number) => void };

export function liveRoutes(feed: LiveFeed, options: LiveOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const lifetimeMs = options.lifetimeMs ?? 15 * 60_000;
  const app = new Hono<HqEnv>();
  app.use(requireRole("viewer"));

  app.get("/", async (c) => {
    // before the stream starts: a database that cannot be reached is "come back later", not a stream that says nothing
    const subscription = await feed.subscribe(storeFilterOf(c));
    (c.env as ServerTimeout | undefined)?.timeout?.(c.req.raw, 0);
    return streamSSE(
      c,
      async (stream) => {
        stream.onAbort(() => subscription.close());
        const ending = setTimeout(() => subscription.close(), lifetimeMs);
        try {
          // the browser reconnects after this long when the stream ends, not at once
          await stream.writeSSE({ event: "ready", data: "{}", retry: 2000 });
          for (;;) {
            const notice = await subscription.next(heartbeatMs);
            if (notice === "closed" || stream.aborted) break;
            if (notice === null) await stream.write(": still here\n\n");
            else await stream.writeSSE(notice);
          }
        } finally {
          clearTimeout(ending);
          subscription.close();
        }
      },
      async (err) => {
        (options.log ?? stderrLog).error("hq.events_failed", { msg: "a dashboard event stream failed", err });
      },
    );
  });
  return app;
}
