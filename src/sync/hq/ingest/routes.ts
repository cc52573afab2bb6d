// What a store says to head office, behind its token: batches of its outbox (merged exactly once), how its catalog
// stands after a pull, the catalog changes it asks for, receipts of the chain's other stores brought back to it,
// and what the other stores have taken back of one of its own sales.
// JSON only, said so, of a bounded size, read only after the token is known.
import { type Context, Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { bearerSecret } from "../../../server/platform/auth/bearer.ts";
import { limitBodies } from "../../../server/platform/http/body-limit.ts";
import { valid } from "../../../server/platform/http/validate.ts";
import { catalogReport } from "../../catalog-contracts.ts";
import { batchHeader, INSTALLATION_HEADER, STORE_ID_HEADER } from "../../contracts.ts";
import { receiptNumber, saleIdParam } from "../../receipt-contracts.ts";
import { catalogChanges } from "../catalog/releases.ts";
import { saveCatalogReport } from "../catalog/store-reports.ts";
import type { HqDeps } from "../people/guard.ts";
import { receiptsElsewhere, saleReturnsElsewhere } from "../receipts/receipts.ts";
import { noteExchange, recordUnknownToken } from "../stores/contact.ts";
import { refuseClone } from "../stores/installations.ts";
import { RETIRED_SENTENCE } from "../stores/retire.ts";
import { storeForSyncToken } from "../stores/rotate-token.ts";
import { receiveBatch } from "./receiver.ts";
import { learnStoreFacts, readStoreFacts } from "./store-facts.ts";

/** The request's JSON body, or a 400 malformed_json saying `sentence`. */
async function jsonBody(c: Context, sentence: string): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new Problem("malformed_json", sentence);
  }
}

export const MAX_BATCH_BYTES = 32 * 1024 * 1024;
/** Other calls a store makes carry little. */
export const SYNC_BODY_LIMIT = 1024 * 1024;

/** A store is its token: it can write only its own rows. What it sends is JSON, said so, of a bounded size. */
export function storeSyncRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<{ Variables: { storeId: string } }>();
  app.use(async (c, next) => {
    const secret = bearerSecret(c.req.header("Authorization"));
    // the current token, or any a rotation replaced while still in its own grace (stores/rotate-token.ts)
    const owner = secret ? await storeForSyncToken(sql, secret, deps.clock.now()) : null;
    // a retired store is told so, and its row is left alone: it is out of the overview's problems on purpose
    if (owner?.retired) throw new Problem("store_token_invalid", RETIRED_SENTENCE);
    const storeId = owner?.storeId ?? null;
    if (!storeId) {
      // said on the row of the store it names, so head office sees a wrong token before that store's next sale
      await recordUnknownToken(sql, c.req.header(STORE_ID_HEADER), c.req.path);
      throw new Problem("store_token_invalid", "This store's head-office token is unknown; register the store with 'shopflow hq store add'.");
    }
    if (
      (c.req.method === "POST" || c.req.method === "PUT") &&
      (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase() !== "application/json"
    ) {
      throw new Problem("unsupported_media_type", "Head office takes JSON here: send it with the header Content-Type: application/json.");
    }
    c.set("storeId", storeId);
    await next();
    // every exchange is contact, a refused one with its reason (stores/contact.ts)
    await noteExchange(sql, c, storeId, deps.log);
  });
  app.use(
    limitBodies({
      rules: [{ prefix: "/sync/v1/batches", maxBytes: MAX_BATCH_BYTES, message: "The batch is larger than 32 MB; send fewer items." }],
      otherwise: SYNC_BODY_LIMIT,
    }),
  );

  app.post("/batches", async (c) => {
    const r = await receiveBatch(sql, c.get("storeId"), await jsonBody(c, "The batch is not valid JSON."));
    return c.json(r.body, r.status);
  });

  // the store's time zone and journal key, when it starts and whenever they change (store-facts.ts)
  app.put("/store-facts", async (c) => {
    const facts = readStoreFacts(await jsonBody(c, "The store's facts are not valid JSON."));
    // a copy of the store's server (another installation) does not get to name the store's key
    const installation = batchHeader.installation.safeParse(c.req.header(INSTALLATION_HEADER)).data ?? null;
    const clone = await refuseClone(sql, c.get("storeId"), { installation, epoch: null, top: null });
    if (clone) return c.json(clone.body, clone.status);
    const taken = await learnStoreFacts(sql, c.get("storeId"), facts);
    if (!taken) throw new Problem("store_not_found", "This store is not registered at head office.");
    return c.json({ ok: true, ...taken });
  });

  // how the store's catalog stands after a pull: shown on the dashboard (a barcode the store holds for its own product)
  app.post("/catalog/report", valid("json", catalogReport), async (c) => {
    await saveCatalogReport(sql, c.get("storeId"), c.req.valid("json"), deps.clock.now());
    return c.json({ ok: true });
  });

  app.get("/catalog/changes", async (c) => {
    const since = Number(c.req.query("since") ?? "0");
    if (!Number.isSafeInteger(since) || since < 0)
      throw new Problem("invalid_since", "since is the catalog version the store has: a whole number, 0 for none.");
    // a store pulls before it sells: the pull binds it to its installation, and another one pulling is recorded as a
    // clone at once. The catalog is the chain's, not the store's: a clone still gets it; its sales are what is refused.
    const installation = batchHeader.installation.safeParse(c.req.header(INSTALLATION_HEADER)).data ?? null;
    await refuseClone(sql, c.get("storeId"), { installation, epoch: null, top: null });
    return c.json(await catalogChanges(sql, since, 50, new Date(), c.get("storeId")));
  });

  // a customer brought a receipt of another store of the chain: that store's sale, never the asking store's own
  app.get("/receipts", async (c) => {
    const number = c.req.query("number") ?? "";
    if (!receiptNumber.safeParse(number).success) {
      throw new Problem("invalid_request", "number is a receipt number as the receipt prints it: the register, a dash and the count (001-000123).", {
        field: "number",
      });
    }
    return c.json(await receiptsElsewhere(sql, c.get("storeId"), number));
  });

  // a sale of the asking store's own: what the chain's other stores have taken back of it since
  app.get("/sales/:saleId/returns", async (c) => {
    const saleId = c.req.param("saleId");
    if (!saleIdParam.safeParse(saleId).success) {
      throw new Problem("invalid_request", "The sale id is the sale's UUID as the store recorded it (0190c2a4-7b1e-7c3d-8e5f-0123456789ab).", {
        field: "saleId",
      });
    }
    return c.json(await saleReturnsElsewhere(sql, c.get("storeId"), saleId));
  });
  return app;
}
