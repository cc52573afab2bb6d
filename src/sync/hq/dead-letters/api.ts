// Dead letters for integrators (/api/v1/dead-letters): the list as the page shows it, one whole, and the same replay
// and discard as the page, audited under the API token's name. A token limited to some stores finds no other store's.
import { type Context, Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { HqSql } from "../db/db.ts";
import type { HqEnv } from "../people/guard.ts";
import { seenDeadLetter, storeFilterOf } from "../people/store-filter.ts";
import { type DeadLetterRow, findDeadLetter, listDeadLetters } from "./dead-letters.ts";
import { explainReason } from "./explain.ts";
import { discardDeadLetter, replayDeadLetter } from "./replay.ts";
import { deadLetterId, filterOf, shownPayload } from "./requests.ts";

/** A dead letter as the API gives it: the page's columns, the reason in plain words. */
const listed = (r: DeadLetterRow) => ({
  id: r.id,
  store_id: r.store_id,
  store_name: r.store_name,
  kind: r.kind,
  ref: r.ref,
  seq: r.seq,
  epoch: r.epoch,
  reason: r.reason,
  explanation: explainReason(r.reason),
  received_at: r.at.toISOString(),
  status: r.status,
  landed: r.landed,
  settled_by: r.settled_by,
  settled_at: r.settled_at?.toISOString() ?? null,
  note: r.note,
});

/** Who a change is audited under: the API token requireApiToken let through. */
function caller(c: Context<HqEnv>): string {
  const token = c.get("apiToken");
  return `API token ${token ? `"${token.name}" (${token.id})` : "unknown"}`;
}

export function deadLetterApi(sql: HqSql) {
  const app = new Hono<HqEnv>();
  app.use("/:id{[0-9]+}/*", seenDeadLetter(sql));
  app.use("/:id{[0-9]+}", seenDeadLetter(sql));

  app.get("/", async (c) => {
    const rows = await listDeadLetters(sql, { ...filterOf(c), stores: storeFilterOf(c) });
    return c.json({ dead_letters: rows.map(listed) });
  });

  app.get("/:id", async (c) => {
    const dl = await findDeadLetter(sql, deadLetterId(c.req.param("id")));
    if (!dl) throw new Problem("dead_letter_not_found", "Head office has no dead letter by that number.");
    return c.json({
      ...listed(dl),
      content_hash: dl.content_hash,
      payload: shownPayload(dl.body.payload),
      replayable: dl.cannotReplay === null,
      cannot_replay: dl.cannotReplay,
    });
  });

  app.post("/:id/replay", async (c) => {
    const id = deadLetterId(c.req.param("id"));
    const outcome = await replayDeadLetter(sql, id, caller(c));
    if ("refused" in outcome) {
      // the new reason is on record (committed); the item is still a dead letter
      throw new Problem("replay_refused", `Head office's checks refused the item again: ${outcome.refused.slice(0, 500)}`, { id, reason: outcome.refused });
    }
    return c.json({ id, status: "replayed", landed: outcome.landed });
  });

  app.post("/:id/discard", async (c) => {
    const id = deadLetterId(c.req.param("id"));
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new Problem("malformed_json", 'Send a JSON body: {"reason": "why it is discarded"}.');
    }
    const reason = body !== null && typeof body === "object" ? (body as { reason?: unknown }).reason : undefined;
    await discardDeadLetter(sql, id, caller(c), reason);
    return c.json({ id, status: "discarded" });
  });
  return app;
}
