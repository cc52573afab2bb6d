// GET /events: the live channel as server-sent events, for anyone signed in (mounted behind its gate in pages.tsx).
// A supervisor and up is told of low stock (the toast and the badge); a register of its printer's status. Each message
// is named for what it is and carries HTML that htmx swaps out of band (static/live.js). A comment every 15 s keeps
// the connection open through the server's idle limit and tells a stream whose session has ended to stop. A session,
// a device and the store may each hold only so many streams (stream-limits.ts): above that the answer is a 429.
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { Problem } from "../../domain/kernel/problem.ts";
import { PrinterStatusBadge } from "../../views/devices/page.tsx";
import { type LiveView, LowStockAlert, LowStockBadge } from "../../views/live/live.tsx";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { atLeast, type Role } from "../people/roles.ts";
import { ABSOLUTE_HOURS, IDLE_MINUTES } from "../people/sessions.ts";
import { sessionCutoffs, sessionIdHash } from "../platform/auth/sessions.ts";
import type { Listener, LiveEvent } from "./channel.ts";

export const HEARTBEAT_MS = 15_000;

/** The pages' live view: the badge's count, read only when a page draws the badge. */
export const liveContext =
  (shop: Shop): MiddlewareHandler<{ Variables: { live: LiveView } }> =>
  async (c, next) => {
    c.set("live", { lowStockCount: () => shop.live.lowCount() });
    await next();
  };

/** A view as the text of one message (the live pieces render synchronously). */
async function html(node: unknown): Promise<string> {
  const s = (node as { toString(): string | Promise<string> }).toString();
  return typeof s === "string" ? s : await s;
}

export function liveRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("cashier"));
  // whether the session and the register are still what they were, read without counting as the person's activity
  // (sessions.get would touch it, and an open page would never be signed out for being idle)
  const signedInAs = shop.db.query<{ role: Role }, [string, string, string]>(
    `SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = ? AND s.ended_at IS NULL AND u.disabled = 0 AND s.last_seen_at >= ? AND s.created_at >= ?`,
  );
  const paired = shop.db.query<{ id: number }, [number]>("SELECT id FROM devices WHERE id = ? AND revoked_at IS NULL");

  app.get("/", (c) => {
    const user = c.get("user")!;
    const device = c.get("device");
    const sessionHash = sessionIdHash(c.get("sessionCookie"));
    // the guard let a signed-in person through, so there is a session; without one nothing could be counted against it
    if (!sessionHash) throw new Problem("sign_in", "Sign in again to see the shop's live news.");
    const listener: Listener = { lowStock: atLeast(user.role, "supervisor"), registerId: device?.registerId ?? null };
    const lastSeen = Number(c.req.header("Last-Event-ID"));

    const stillSo = (): boolean => {
      const { idleSince, bornAfter } = sessionCutoffs({ idleMinutes: IDLE_MINUTES, absoluteHours: ABSOLUTE_HOURS }, shop.clock.now());
      const row = signedInAs.get(sessionHash, idleSince.toISOString(), bornAfter.toISOString());
      if (!row || atLeast(row.role, "supervisor") !== listener.lowStock) return false;
      return !device || paired.get(device.id) !== null;
    };

    /** The register's printer pill, when `printerId` is its printer (any printer: null). */
    const printerPill = (printerId: number | null) => {
      if (listener.registerId === null) return null;
      const printer = shop.printing.printers.forRegister(listener.registerId);
      if (!printer || (printerId !== null && printer.id !== printerId)) return null;
      return html(<PrinterStatusBadge printer={printer} oob />);
    };

    // taken before the answer starts: above the limits (stream-limits.ts) the browser is refused with a 429 that says
    // why, rather than given a stream
    const sub = shop.live.subscribe(listener, { session: sessionHash, device: device?.id ?? null });

    return streamSSE(c, async (stream) => {
      const beat = setInterval(() => {
        try {
          if (stillSo()) void stream.write(": still here\n\n");
          else end();
        } catch {
          end(); // the database is closing
        }
      }, HEARTBEAT_MS);
      // However the stream ends (the browser hangs up, its session ends, the store closes), its timer stops, its slot
      // is given back and the stream itself is aborted. A browser that never reads leaves this handler waiting on a
      // write that only the abort lets go; closing the subscription alone would leave the handler, and its timer, there.
      function end(): void {
        clearInterval(beat);
        sub.close();
        if (!stream.aborted) stream.abort();
      }
      sub.onClose(end); // also at once, when the store closed before the stream started
      stream.onAbort(end);
      c.req.raw.signal.addEventListener("abort", end);
      // alerts told again after a reconnect are not told twice when they also wait in the queue
      let replayedUpTo = 0;
      try {
        await stream.write(": live\n\n");
        // what the page should show now, whatever it missed while it was away
        if (listener.lowStock) {
          if (Number.isSafeInteger(lastSeen) && lastSeen > 0) {
            for (const alert of shop.live.missedSince(lastSeen)) {
              await stream.writeSSE({ event: "low-stock", id: String(alert.id), data: await html(<LowStockAlert alert={alert} count={alert.lowCount} />) });
              replayedUpTo = alert.id;
            }
          }
          await stream.writeSSE({ event: "low-stock-count", data: await html(<LowStockBadge count={shop.live.lowCount()} oob />) });
        }
        const pill = printerPill(null);
        if (pill) await stream.writeSSE({ event: "printer-status", data: await pill });

        for (let batch = await sub.next(); batch; batch = await sub.next()) {
          for (const e of batch) {
            if (sub.closed) break; // hung up, or the store is closing: the database may be gone
            await send(e);
          }
        }
      } finally {
        end();
      }

      async function send(e: LiveEvent): Promise<void> {
        switch (e.kind) {
          case "low-stock":
            if (e.alert.id <= replayedUpTo) return;
            await stream.writeSSE({ event: "low-stock", id: String(e.alert.id), data: await html(<LowStockAlert alert={e.alert} count={e.alert.lowCount} />) });
            return;
          case "printer-status": {
            const pill = printerPill(e.printerId);
            if (pill) await stream.writeSSE({ event: "printer-status", data: await pill });
            return;
          }
          default: {
            const _exhaustive: never = e;
            return _exhaustive;
          }
        }
      }
    });
  });
  return app;
}
