// Changing products through the API (admin scope, see index.ts): add one (POST, Idempotency-Key), change one over the
// version it read (PATCH: the fields sent; PUT: the whole product), take one off sale (POST /:id/deactivate). The back
// office's actions do the work, so the rules, audit rows and versions are the product page's.
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { describeIssues, valid } from "../platform/http/validate.ts";
import type { ProductDetails } from "../products/records.ts";
import type { ApiEnv } from "./auth.ts";
import { madeOnce } from "./idempotency.ts";
import { bulkRoutes } from "./products-bulk.ts";
import { productFields, productInput } from "./products-input.ts";
import { type ProductSaver, productSaver, tokenActor } from "./products-save.ts";

/** The version a change is made over: the one the program read (GET /api/v1/products/:id says it). */
const version = z.number().int().positive();

const updateInput = z.strictObject({ ...z.object(productFields).partial().shape, version });
const deactivateInput = z.strictObject({ version: version.optional() });

export function productWriteRoutes(store: Shop, saver: ProductSaver = productSaver(store)) {
  const once = madeOnce(store.db, store.clock);
  const tx = inOneTransaction(store.db);
  const create = tx((...a: Parameters<ProductSaver["create"]>) => saver.create(...a));
  const update = tx((...a: Parameters<ProductSaver["update"]>) => saver.update(...a));

  return new Hono<ApiEnv>()
    .post("/", valid("json", productInput), (c) => {
      const body = c.req.valid("json");
      const who = tokenActor(c.get("holder"));
      return once(
        c,
        body,
        "product",
        "This Idempotency-Key was used for a different request; use a new key for a new product.",
        (remember) => {
          const made = tx((): ProductDetails => {
            const p = create(who, body);
            remember({ made: String(p.id), reply: null });
            return p;
          })();
          return c.json(saver.json(made), 201);
        },
        (kept) => c.json(saver.json(saver.found(kept.made)), 201),
      );
    })
    .route("/bulk", bulkRoutes(store, saver))
    .patch("/:id", valid("json", updateInput), (c) => {
      const { version: seen, ...fields } = c.req.valid("json");
      const before = saver.found(c.req.param("id"));
      return c.json(saver.json(update(tokenActor(c.get("holder")), before, seen, fields, false)));
    })
    .put("/:id", valid("json", updateInput), (c) => {
      const { version: seen, ...fields } = c.req.valid("json");
      const before = saver.found(c.req.param("id"));
      return c.json(saver.json(update(tokenActor(c.get("holder")), before, seen, fields, true)));
    })
    .post("/:id/deactivate", async (c) => {
      // the body may be empty ({} or nothing); a version makes it conditional, as any other change
      const text = await c.req.text();
      let raw: unknown = {};
      if (text.trim() !== "") {
        try {
          raw = JSON.parse(text);
        } catch {
          throw new Problem("malformed_json", "The request body is not valid JSON.");
        }
      }
      const parsed = deactivateInput.safeParse(raw);
      if (!parsed.success) {
        const d = describeIssues(parsed.error.issues);
        throw new Problem("invalid_request", d.message, d.details);
      }
      const before = saver.found(c.req.param("id"));
      const saved = update(tokenActor(c.get("holder")), before, parsed.data.version ?? before.version, { active: false }, false);
      return c.json(saver.json(saved));
    });
}
