// Head office over HTTP: stores send their outbox batches here; integrators read per-store figures.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError, errorBody } from "../../server/errors.ts";
import { onError } from "../../server/http/errors.ts";
import type { HqSql } from "./db.ts";
import { catalogChanges } from "./catalog.ts";
import { hqDashboard } from "./dashboard.tsx";
import { hqApiRoutes } from "./summary.ts";
import { receiveBatch } from "./receiver.ts";
import { storeForToken } from "./stores.ts";

export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

export function createHqApp(sql: HqSql, version: string) {
  const app = new Hono<{ Variables: { storeId: string } }>();
  app.onError(onError);
  app.notFound((c) => c.json(errorBody("not_found", `There is nothing at ${c.req.path}.`), 404));

  app.get("/healthz", async (c) => {
    try {
      await sql`SELECT 1`;
      return c.json({ status: "ok", role: "hq", version, database: "ok" });
    } catch {
      return c.json({ status: "degraded", role: "hq", version, database: "unavailable" }, 503);
    }
  });

  // A store is its token: it can write only its own rows.
  app.use("/sync/v1/*", async (c, next) => {
    const m = /^Bearer\s+(\S{10,200})\s*$/i.exec(c.req.header("Authorization") ?? "");
    const storeId = m ? await storeForToken(sql, m[1]!) : null;
    if (!storeId) throw new AppError(401, "store_token_invalid", "This store's head-office token is unknown; register the store with 'shopflow hq store add'.");
    c.set("storeId", storeId);
    await next();
  });

  app.post(
    "/sync/v1/batches",
    bodyLimit({ maxSize: MAX_BATCH_BYTES, onError: () => { throw new AppError(413, "batch_too_large", "The batch is larger than 32 MB; send fewer items."); } }),
    async (c) => {
      let input: unknown;
      try {
        input = await c.req.json();
      } catch {
        throw new AppError(400, "malformed_json", "The batch is not valid JSON.");
      }
      try {
        const r = await receiveBatch(sql, c.get("storeId"), input);
        return c.json(r.body, r.status);
      } catch (e) {
        // the database is away or restarting: the store keeps its outbox and comes back later
        console.error("hq: batch failed:", e instanceof Error ? e.message : e);
        c.header("Retry-After", "5");
        return c.json(errorBody("hq_unavailable", "Head office cannot take batches right now; the store keeps them and sends again."), 503);
      }
    },
  );

  app.get("/sync/v1/catalog/changes", async (c) => {
    const since = Number(c.req.query("since") ?? "0");
    if (!Number.isSafeInteger(since) || since < 0) throw new AppError(400, "invalid_since", "since is the catalog version the store has: a whole number, 0 for none.");
    return c.json(await catalogChanges(sql, since));
  });

  app.get("/api/v1/stores", async (c) => {
    const rows = await sql<{ store_id: string; name: string; last_seq: string; last_contact_at: Date | null; restored_epoch: string | null }[]>`
      SELECT store_id::text, name, last_seq, last_contact_at, restored_epoch FROM stores ORDER BY name`;
    return c.json({ data: rows.map((r) => ({ id: r.store_id, name: r.name, last_seq: Number(r.last_seq), last_contact_at: r.last_contact_at?.toISOString() ?? null, restored_epoch_reported: r.restored_epoch !== null })) });
  });

  app.route("/", hqApiRoutes(sql));
  app.route("/", hqDashboard(sql));
  return app;
}
