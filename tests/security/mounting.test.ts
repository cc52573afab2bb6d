// Protection comes from where a route is mounted. Every state-changing route the app serves — found by asking the app,
// not from a list — refuses a request without a session, without the CSRF token, and from a role below its gate; only
// the pages that lead to a session (first run, pairing, sign-in and out) are open, and they still need the token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { everyRoute } from "../../src/server/lazy-routes.ts";
import type { Role } from "../../src/server/people/roles.ts";
import { makeTestStore, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, errorCode, isDenied, send, state } from "./support.ts";

/** The pages a browser without a session must reach: they lead to one. */
const open = new Set(["/setup", "/pair", "/login", "/logout"]);

/** The least role of each mount, and whether it must be a paired register; a route under no mount named here fails. */
const gates: [prefix: string, least: Role, register: boolean][] = [
  ["/register/", "cashier", true],
  ["/shift", "cashier", true],
  ["/sales", "cashier", false],
  ["/returns", "cashier", true],
  ["/devices", "manager", false],
  ["/audit", "manager", false],
  ["/quick-keys", "manager", false],
  ["/users", "manager", false],
  ["/settings", "manager", false],
  ["/stock", "supervisor", false],
  ["/events", "cashier", false],
  ["/products", "manager", false],
  ["/tax-classes", "manager", false],
  ["/categories", "manager", false],
  ["/store-setup", "manager", false],
  ["/reports", "manager", false],
];
/** Routes whose own gate is higher than their mount's. */
const adminOnly = new Set(["POST /users", "POST /users/:id/disable"]);

let t: TestStore;
const who: Record<string, Browser> = {};
let routes: string[] = [];
/** Every route the app answers, the back office's lazily built groups included (lazy-routes.ts). */
let appRoutes: Awaited<ReturnType<typeof everyRoute>> = [];

beforeAll(async () => {
  t = makeTestStore();
  for (const role of ["cashier", "supervisor", "manager", "admin"] as const) {
    const s = await signIn(t.store, { cashier: 1, supervisor: 2, manager: 3, admin: 4 }[role], { role });
    who[role] = browserOf(s);
    const away = t.store.sessions.start(s.userId, null, t.clock.now().toISOString());
    who[`${role} away`] = { session: away.cookie, csrf: away.csrf };
  }
  who.nobody = { device: who.cashier!.device, csrf: "nobody-on-a-register-0123456789" };
  who.stranger = { csrf: "stranger-browser-token-0123456789" };
  const seen = new Set<string>();
  appRoutes = await everyRoute(t.app);
  for (const r of appRoutes) {
    if (r.method !== "POST" || r.path.startsWith("/api/") || r.path.endsWith("*")) continue;
    seen.add(r.path);
  }
  routes = [...seen].sort();
});
afterAll(() => t.close());

const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, "1");
const gateOf = (path: string) => gates.find(([prefix]) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix));

test("the app serves state-changing page routes, and every one is open or under a gate", () => {
  expect(routes.length).toBeGreaterThan(30);
  // pages change things by POST alone: a PUT, PATCH or DELETE page route would need this test to learn its method
  const otherMethods = appRoutes.filter((r) => ["PUT", "PATCH", "DELETE"].includes(r.method) && !r.path.startsWith("/api/"));
  expect(otherMethods.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  const ungated = routes.filter((p) => !open.has(p) && !gateOf(p));
  expect(ungated).toEqual([]);
});

describe("every state-changing route", () => {
  test("refuses a browser without a session, and changes nothing", async () => {
    const wrong: string[] = [];
    for (const path of routes.filter((p) => !open.has(p))) {
      for (const asker of ["stranger", "nobody"]) {
        const before = state(t.store);
        const res = await send(t, "POST", concrete(path), { browser: who[asker]!, form: {} });
        if (!isDenied(res)) wrong.push(`${path} by ${asker}: ${res.status}`);
        if (!Bun.deepEquals(state(t.store), before)) wrong.push(`${path} by ${asker}: changed something`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("refuses a signed-in admin who sends no CSRF token or another's, and changes nothing", async () => {
    const wrong: string[] = [];
    for (const path of routes) {
      for (const token of [null, "not-this-session-token-0123456789"]) {
        const before = state(t.store);
        const res = await send(t, "POST", concrete(path), { browser: who.admin!, form: {}, token });
        const code = await errorCode(res);
        if (res.status !== 403 || code !== "csrf_failed") wrong.push(`${path} with ${token ?? "no token"}: ${res.status} ${code}`);
        if (!Bun.deepEquals(state(t.store), before)) wrong.push(`${path}: changed something`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("refuses a role below its gate, or a browser that is no register where a register is needed", async () => {
    const order: Role[] = ["cashier", "supervisor", "manager", "admin"];
    const wrong: string[] = [];
    for (const path of routes.filter((p) => !open.has(p))) {
      const [, mountLeast, register] = gateOf(path)!;
      const least = adminOnly.has(`POST ${path}`) ? "admin" : mountLeast;
      const below = order.slice(0, order.indexOf(least));
      const askers = [...below, ...(register ? order.map((r) => `${r} away`) : [])];
      for (const asker of askers) {
        const before = state(t.store);
        const res = await send(t, "POST", concrete(path), { browser: who[asker]!, form: {} });
        if (!isDenied(res)) wrong.push(`${path} by ${asker}: ${res.status}`);
        if (!Bun.deepEquals(state(t.store), before)) wrong.push(`${path} by ${asker}: changed something`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
