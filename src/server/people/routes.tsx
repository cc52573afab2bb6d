// People: the first-run admin, signing in and out (open pages), and the users a manager looks after (/users).
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import { LoginPage, SetupPage, UsersPage } from "../../views/people/pages.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { setPrivateCookie } from "../platform/auth/sessions.ts";
import { validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { needsSetUp } from "../store-setup/checklist.ts";
import { COOKIES, requireRole } from "./guard.ts";
import { countPinTry, triesKey } from "./pin-throttle.ts";
import { atLeast } from "./roles.ts";
import { ABSOLUTE_HOURS } from "./sessions.ts";

type C = Context<PagesEnv>;

const newUser = z.object({ name: z.string().default(""), role: z.string().default(""), pin: z.string().default("") });

// nothing refused here: every try must be counted first, and signIn says what is wrong
const login = z.object({
  user_id: z
    .string()
    .default("")
    .transform((v) => (Number.isSafeInteger(Number(v)) ? Number(v) : 0)),
  pin: z.string().default(""),
});

/** First run, signing in and out: pages anyone who reaches the store may open. */
export function signInRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  const now = () => shop.clock.now().toISOString();

  // First run: the page exists only while there is no admin.
  app.get("/setup", (c) => (shop.users.hasAdmin() ? c.redirect("/login", 303) : render(c, <SetupPage />)));
  app.post("/setup", async (c) => {
    if (shop.users.hasAdmin()) throw new Problem("setup_done", "The store has its admin already; sign in instead.");
    try {
      const f = await validForm(c, newUser);
      await shop.people.addUser(null, { name: f.name, role: "admin", pin: f.pin }, "first-run page");
      return c.redirect("/pair", 303);
    } catch (e) {
      return again(e, (m) => render(c, <SetupPage message={m} />));
    }
  });

  const loginPage = (c: C, message?: string, chosen: number | null = null) =>
    render(c, <LoginPage users={shop.users.active()} register={c.get("device")?.registerName ?? null} message={message} chosen={chosen} />);
  app.get("/login", (c) => (shop.users.hasAdmin() ? loginPage(c) : c.redirect("/setup", 303)));
  app.post("/login", async (c) => {
    const f = await validForm(c, login);
    const device = c.get("device");
    try {
      // one device (or address) may not try PINs faster than a person: 10 tries a minute
      countPinTry(shop.db, triesKey(c, device?.id), shop.clock.now());
      const signed = await shop.people.signIn({ userId: f.user_id, pin: f.pin }, { device, endingSession: c.get("sessionCookie") });
      setPrivateCookie(c, COOKIES.session, signed.cookie, ABSOLUTE_HOURS * 3600);
      // a store with nothing to sell yet: a manager starts on its checklist (store-setup/routes.tsx)
      if (atLeast(signed.user.role, "manager") && needsSetUp(shop.db)) return c.redirect("/store-setup", 303);
      return c.redirect(device ? "/" : "/devices", 303);
    } catch (e) {
      return again(e, (m) => loginPage(c, m, f.user_id));
    }
  });

  app.post("/logout", (c) => {
    shop.people.signOut(c.get("user"), c.get("device"), c.get("sessionCookie"), now());
    setPrivateCookie(c, COOKIES.session, "", 1);
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", "/login");
      return c.body(null, 204);
    }
    return c.redirect("/login", 303);
  });
  return app;
}

/** Users, for managers: the list, unlocking; adding and disabling are an admin's. */
export function userRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const usersPage = (c: C, message?: string) => render(c, <UsersPage users={shop.users.all()} message={message} admin={c.get("user")?.role === "admin"} />);
  const userOf = (c: C) => {
    const u = shop.users.byId(Number(c.req.param("id")) || 0);
    if (!u) throw new Problem("user_not_found", "No such user.");
    return u;
  };

  app.get("/", (c) => usersPage(c));
  app.post("/", requireRole("admin"), async (c) => {
    try {
      const f = await validForm(c, newUser);
      const u = await shop.people.addUser(c.get("user")!, { name: f.name, role: f.role, pin: f.pin });
      return usersPage(c, `${u.name} added as ${u.role}.`);
    } catch (e) {
      return again(e, (m) => usersPage(c, m));
    }
  });
  app.post("/:id/disable", requireRole("admin"), (c) => {
    const u = userOf(c);
    shop.people.disableUser(c.get("user")!, u);
    return usersPage(c, `${u.name} is disabled and signed out everywhere.`);
  });
  app.post("/:id/unlock", (c) => {
    const u = userOf(c);
    shop.people.unlockUser(c.get("user")!, u);
    return usersPage(c, `${u.name} can sign in again.`);
  });
  return app;
}
