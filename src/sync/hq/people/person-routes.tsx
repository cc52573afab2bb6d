// One person's page (/users/:id) and what an admin changes there, and a person's own account (/account). Each change
// is one action with its audit line; a refused form shows the page again with the sentence beside its field.

import { type Context, Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { sessionIdHash } from "../../../server/platform/auth/sessions.ts";
import { readForm } from "../../../server/platform/http/form.ts";
import { render } from "../../../server/platform/http/render.ts";
import { saidOf } from "../../../server/platform/http/said.ts";
import { AccountPage, PersonPage, type PersonView } from "../../../views/hq/people-person.tsx";
import { noteRefusal } from "../audit/refusals.ts";
import type { HqSql } from "../db/db.ts";
import { changeOwnPassword, changeRole, enableUser, limitStores, resetPassword } from "./changes.ts";
import { checkedUser, ownPasswordForm, resetForm, roleForm, storesOfForm } from "./forms.ts";
import { clientAddress, type HqDeps, type HqEnv, requireRole } from "./guard.ts";
import { countSignInAttempt } from "./sessions.ts";
import { listUsers, UserRefused } from "./users.ts";

type C = Context<HqEnv>;

const idParam = (c: C) => {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
};

async function findPerson(sql: HqSql, id: number): Promise<PersonView> {
  // listUsers reads pauses the way the users list shows them: one place says what "paused" is
  const u = (await listUsers(sql)).find((x) => x.id === id);
  if (!u) throw new Problem("user_not_found", "There is no such user.");
  return u;
}

/** /users/:id and its changes; mounted inside /users, behind its admin gate. */
export function personRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  const me = (c: C) => c.get("user")!;
  const page = async (c: C, id: number, extra: { made?: string | null; problems?: Record<string, string>; message?: string } = {}, status: 200 | 422 = 200) => {
    const [person, stores] = await Promise.all([
      findPerson(sql, id),
      sql<{ store_id: string; name: string }[]>`SELECT store_id::text, name FROM stores ORDER BY name, store_id`,
    ]);
    return render(c, <PersonPage now={clock.now()} person={person} stores={stores} {...extra} />, status);
  };
  /** A change refused for a field: the person's page again with the sentence beside it (422); nothing was changed. */
  const refusedField = (c: C, id: number, e: unknown) => {
    if (e instanceof UserRefused) return page(c, id, { problems: e.problems }, 422);
    throw e;
  };

  app.get("/:id{[0-9]+}", (c) => page(c, idParam(c), { message: saidOf(c, clock.now(), 300) }));

  app.post("/:id{[0-9]+}/role", async (c) => {
    const id = idParam(c);
    const f = checkedUser(roleForm, await readForm(c));
    try {
      const u = await changeRole(sql, id, f.role, me(c).name);
      return page(c, id, { message: `${u.name} is now ${u.role === "admin" ? "an" : "a"} ${u.role}.` });
    } catch (e) {
      return refusedField(c, id, e);
    }
  });

  app.post("/:id{[0-9]+}/password", async (c) => {
    const id = idParam(c);
    try {
      const typed = checkedUser(resetForm, await readForm(c));
      const r = await resetPassword(sql, id, typed, me(c).name, clock.now());
      // a made password is shown once, on this answer only (never in a redirect's address, never stored)
      return page(c, id, { made: r.password, message: `${r.user.name}'s password is reset; they are signed out everywhere.` });
    } catch (e) {
      return refusedField(c, id, e);
    }
  });

  app.post("/:id{[0-9]+}/enable", async (c) => {
    const id = idParam(c);
    await readForm(c);
    const u = await enableUser(sql, id, me(c).name);
    return page(c, id, { message: `${u.name} can sign in again.` });
  });

  app.post("/:id{[0-9]+}/stores", async (c) => {
    const id = idParam(c);
    try {
      const u = await limitStores(sql, id, storesOfForm(await readForm(c)), me(c).name);
      const said =
        u.stores === null ? `${u.name} sees every store.` : `${u.name} sees ${u.stores.length === 1 ? "1 store" : `${u.stores.length} stores`} only.`;
      return page(c, id, { message: said });
    } catch (e) {
      return refusedField(c, id, e);
    }
  });
  return app;
}

/** /account: everyone signed in, for themselves. */
export function accountRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("viewer"));
  const page = (c: C, extra: { problems?: Record<string, string>; message?: string } = {}, status: 200 | 401 | 422 | 429 = 200) => {
    const u = c.get("user")!;
    return render(c, <AccountPage name={u.name} role={u.role} stores={u.stores ?? null} {...extra} />, status);
  };
  app.get("/", (c) => page(c));
  app.post("/password", async (c) => {
    try {
      const f = checkedUser(ownPasswordForm, await readForm(c));
      // the current password is guessed no faster here than at sign-in
      await countSignInAttempt(sql, clientAddress(c, deps.trustProxy), clock.now());
      await changeOwnPassword(sql, c.get("user")!, { ...f, sessionCookieHash: sessionIdHash(c.get("sessionCookie")) }, clock.now());
      return page(c, { message: "Your password is changed; your other sessions are signed out." });
    } catch (e) {
      if (e instanceof UserRefused) return page(c, { problems: e.problems }, 422);
      if (e instanceof Problem && (e.code === "wrong_password" || e.code === "too_many_tries")) {
        noteRefusal(c, e);
        return page(c, { problems: { current: e.message } }, e.code === "wrong_password" ? 401 : 429);
      }
      throw e;
    }
  });
  return app;
}
