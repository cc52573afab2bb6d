// The dead-letter pages (/dead-letters): everyone signed in reads them; replaying and discarding need an admin, by
// where they are mounted (every state-changing method of this sub-app).
import { type Context, Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import { validForm } from "../../../server/platform/http/form.ts";
import { statusOf } from "../../../server/platform/http/problems.ts";
import { render } from "../../../server/platform/http/render.ts";
import { saidLocation, saidOf } from "../../../server/platform/http/said.ts";
import { DeadLetterPage, DeadLettersPage, type DeadLetterView } from "../../../views/hq/dead-letters.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { onlySeen, seenDeadLetter, storeFilterOf } from "../people/store-filter.ts";
import { type DeadLetter, type DeadLetterRow, findDeadLetter, LIST_LIMIT, listDeadLetters, storeNames } from "./dead-letters.ts";
import { explainReason } from "./explain.ts";
import { discardDeadLetter, type ReplayOutcome, replayDeadLetter } from "./replay.ts";
import { deadLetterId, filterOf, shownPayload } from "./requests.ts";

export const withMeaning = <R extends DeadLetterRow>(r: R) => ({ ...r, meaning: explainReason(r.reason).meaning });

function view(dl: DeadLetter): DeadLetterView {
  const { body, ...rest } = dl;
  return {
    ...withMeaning(rest),
    whatToDo: explainReason(dl.reason).whatToDo,
    payload: shownPayload(body.payload),
    cut: typeof body.cut === "string" ? body.cut : null,
  };
}

const discardForm = z.object({ reason: z.string().default("") });

export function deadLetterRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("viewer"));
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", requireRole("admin"));
  // a person limited to some stores finds no other store's dead letter, to read or to settle (people/store-filter.ts)
  app.use("/:id{[0-9]+}/*", seenDeadLetter(sql));
  app.use("/:id{[0-9]+}", seenDeadLetter(sql));

  const page = async (c: Context<HqEnv>, id: number, extra: { message?: string | undefined; problem?: Problem; reason?: string } = {}) => {
    const dl = await findDeadLetter(sql, id);
    if (!dl) throw new Problem("dead_letter_not_found", `Head office has no dead letter number ${id}.`);
    return render(c, <DeadLetterPage dl={view(dl)} {...extra} />);
  };
  /** A refused replay or discard: the dead letter's page again, with the sentence and the problem's status. */
  const refused = async (c: Context<HqEnv>, id: number, e: unknown, reason?: string) => {
    if (!(e instanceof Problem)) throw e;
    const res = await page(c, id, reason === undefined ? { problem: e } : { problem: e, reason });
    return new Response(res.body, { status: statusOf[e.code], headers: res.headers });
  };

  app.get("/", async (c) => {
    const filter = filterOf(c);
    const seen = storeFilterOf(c);
    const [rows, stores] = await Promise.all([listDeadLetters(sql, { ...filter, stores: seen }), storeNames(sql)]);
    return render(c, <DeadLettersPage rows={rows.map(withMeaning)} filter={filter} stores={onlySeen(seen, stores)} limit={LIST_LIMIT} />);
  });

  app.get("/:id", (c) => page(c, deadLetterId(c.req.param("id")), { message: saidOf(c, clock.now(), 500) }));

  app.post("/:id/replay", async (c) => {
    const id = deadLetterId(c.req.param("id"));
    await validForm(c, z.object({}));
    let outcome: ReplayOutcome;
    try {
      outcome = await replayDeadLetter(sql, id, c.get("user")!.name);
    } catch (e) {
      return refused(c, id, e);
    }
    // refused again: the new reason is on record (committed); the page says so as the refusal it is
    if ("refused" in outcome) return refused(c, id, new Problem("replay_refused", replaySaid(outcome)));
    return c.redirect(saidLocation(`/dead-letters/${id}`, replaySaid(outcome), clock.now()), 303);
  });

  app.post("/:id/discard", async (c) => {
    const id = deadLetterId(c.req.param("id"));
    const { reason } = await validForm(c, discardForm);
    try {
      await discardDeadLetter(sql, id, c.get("user")!.name, reason);
    } catch (e) {
      return refused(c, id, e, reason.slice(0, 500));
    }
    return c.redirect(saidLocation(`/dead-letters/${id}`, "Discarded: the dead letter stays on record with your reason.", clock.now()), 303);
  });
  return app;
}

/** What the page says after a replay. */
export function replaySaid(o: ReplayOutcome): string {
  if ("refused" in o) return `Replayed, and refused again: ${o.refused.slice(0, 300)}. It stays open with this reason.`;
  return o.landed === "merged"
    ? "Replayed: the item landed at head office, once."
    : "Replayed: head office had this document already (the store sent it again another way), so nothing was added twice.";
}
