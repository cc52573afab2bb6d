// Head-office people pages: first-run admin, sign-in and sign-out, users and API tokens (admins).

import { type Context, Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { setPrivateCookie } from "../../../server/platform/auth/sessions.ts";
import { readForm, validForm } from "../../../server/platform/http/form.ts";
import { again, render } from "../../../server/platform/http/render.ts";
import { LoginPage, SetupPage, TokensPage, UsersPage } from "../../../views/hq/people.tsx";
import { createApiToken, listApiTokens, revokeApiToken } from "../api/tokens.ts";
import { noteRefusal } from "../audit/refusals.ts";
import { checkedUser, fieldProblems, loginForm, newUserForm, setupForm, storesOfForm, tokenForm } from "./forms.ts";
import { clientAddress, HQ_COOKIES, type HqDeps, type HqEnv, requireRole, safeNext, startSessionCookie } from "./guard.ts";
import { personRoutes } from "./person-routes.tsx";
import { countSignInAttempt, endSession, startSession } from "./sessions.ts";
import { addUser, countUsers, disableUser, listUsers, signIn, UserRefused, unlockUser } from "./users.ts";

type C = Context<HqEnv>;

const idParam = (c: C) => {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
};

/** First run, signing in and out: the pages open before sign-in. */
export function signInRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();

  // First run: the page exists only while head office has no user at all.
  app.get("/setup", async (c) => ((await countUsers(sql)) > 0 ? c.redirect("/login", 303) : render(c, <SetupPage />)));
  app.post("/setup", async (c) => {
    if ((await countUsers(sql)) > 0) throw new Problem("setup_done", "Head office has its first admin already; sign in instead.");
    const f = await readForm(c);
    try {
      const user = await addUser(sql, { ...checkedUser(setupForm, f), role: "admin", createdBy: "first run", onlyIfNone: true });
      const s = await startSession(sql, user.id, clock.now());
      startSessionCookie(c, s.cookie);
      return c.redirect("/", 303);
    } catch (e) {
      if (e instanceof UserRefused) return render(c, <SetupPage values={{ name: f.name }} problems={e.problems} />, 422);
      throw e;
    }
  });

  app.get("/login", async (c) => {
    if ((await countUsers(sql)) === 0) return c.redirect("/setup", 303);
    if (c.get("user")) return c.redirect(safeNext(c.req.query("next")), 303);
    return render(c, <LoginPage next={safeNext(c.req.query("next"))} />);
  });
  app.post("/login", async (c) => {
    const f = await validForm(c, loginForm);
    try {
      // one address may not try passwords faster than a person, whatever names it tries
      const address = clientAddress(c, deps.trustProxy);
      await countSignInAttempt(sql, address, clock.now());
      const user = await signIn(sql, { name: f.name ?? "", password: f.password, address, now: clock.now() });
      await endSession(sql, c.get("sessionCookie"), clock.now());
      const s = await startSession(sql, user.id, clock.now());
      startSessionCookie(c, s.cookie);
      return c.redirect(safeNext(f.next), 303);
    } catch (e) {
      // the sign-in page again with the sentence and the problem's status; the log says which problem
      noteRefusal(c, e);
      return again(e, (message) => render(c, <LoginPage next={safeNext(f.next)} name={f.name} message={message} />));
    }
  });
  app.post("/logout", async (c) => {
    await endSession(sql, c.get("sessionCookie"), clock.now());
    setPrivateCookie(c, HQ_COOKIES.session, "", 1);
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", "/login");
      return c.body(null, 204);
    }
    return c.redirect("/login", 303);
  });

  return app;
}

/** Head-office users (/users), for admins. */
export function userRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("admin"));
  const me = (c: C) => c.get("user")!;
  const usersPage = async (
    c: C,
    extra: { values?: { name?: string; role?: string }; problems?: Record<string, string>; message?: string } = {},
    status: 200 | 422 = 200,
  ) => render(c, <UsersPage now={clock.now()} users={await listUsers(sql)} {...extra} />, status);
  app.get("/", (c) => usersPage(c));
  app.post("/", async (c) => {
    const f = await readForm(c);
    try {
      const u = await addUser(sql, { ...checkedUser(newUserForm, f), createdBy: me(c).name });
      return usersPage(c, { message: `${u.name} added as ${u.role}.` });
    } catch (e) {
      if (e instanceof UserRefused) return usersPage(c, { values: { name: f.name, role: f.role }, problems: e.problems }, 422);
      throw e;
    }
  });
  app.post("/:id/disable", async (c) => {
    const u = await disableUser(sql, idParam(c), clock.now(), me(c).name);
    if (!u) throw new Problem("user_not_found", "There is no such user.");
    return usersPage(c, { message: `${u.name} is disabled and signed out everywhere.` });
  });
  app.post("/:id/unlock", async (c) => {
    const u = await unlockUser(sql, idParam(c), me(c).name);
    if (!u) throw new Problem("user_not_found", "There is no such user.");
    return usersPage(c, { message: `${u.name} can sign in again.` });
  });
  // one person's page: role, password, enabled again, the stores they see
  app.route("/", personRoutes(deps));
  return app;
}

/** API tokens for integrators (/tokens), for admins; a token is limited to the stores ticked when it is made (none: every store). */
export function tokenRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(requireRole("admin"));
  const me = (c: C) => c.get("user")!;
  const tokensPage = async (
    c: C,
    extra: { created?: { name: string; secret: string }; problems?: Record<string, string>; message?: string } = {},
    status: 200 | 422 = 200,
  ) => {
    const [tokens, stores] = await Promise.all([
      listApiTokens(sql),
      sql<{ store_id: string; name: string }[]>`SELECT store_id::text, name FROM stores ORDER BY name, store_id`,
    ]);
    return render(c, <TokensPage tokens={tokens} stores={stores} {...extra} />, status);
  };
  app.get("/", (c) => tokensPage(c));
  app.post("/", async (c) => {
    const form = await readForm(c);
    const r = tokenForm.safeParse(form);
    if (!r.success) return tokensPage(c, { problems: fieldProblems(r.error) }, 422);
    const stores = storesOfForm({ ...form, which: "some" });
    try {
      const t = await createApiToken(sql, r.data.name, me(c).name, stores);
      return tokensPage(c, { created: { name: t.name, secret: t.secret } });
    } catch (e) {
      // a store not (or no longer) registered is said beside the stores; the name was checked above
      const field = e instanceof Problem && e.code === "store_not_found" ? "stores" : "name";
      return again(e, (said) => tokensPage(c, { problems: { [field]: said } }));
    }
  });
  app.post("/:id/revoke", async (c) => {
    const t = await revokeApiToken(sql, idParam(c));
    if (!t) throw new Problem("token_not_found", "There is no such API token.");
    return tokensPage(c, { message: `${t.name} is revoked.` });
  });
  return app;
}
