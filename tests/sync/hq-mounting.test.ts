// Head office's protection comes from where a route is mounted, as the store's does: every state-changing route the
// dashboard serves — found by asking the app, not from a list — refuses a browser without a session, a signed-in admin
// without the page's CSRF token, and a person whose role is below its mount's gate. Only the pages that lead to a
// session are open, and they still need the token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { HqRole } from "../../src/sync/hq/people/users.ts";
import { errorCode, footprint, type Hq, signedIn, startHq, Visitor } from "./hq-support.ts";

/** The pages a browser without a session must reach: they lead to one. */
const open = new Set(["/setup", "/login", "/logout"]);

/** The least role of each mount; a state-changing route under no mount named here fails the first test. */
const gates: [prefix: string, least: HqRole][] = [
  ["/catalog/", "catalog"],
  ["/stores", "admin"],
  ["/dead-letters/", "admin"],
  ["/users", "admin"],
  ["/tokens", "admin"],
  ["/audit", "admin"],
  ["/account/", "viewer"],
];
const below: Record<HqRole, HqRole[]> = { viewer: [], catalog: ["viewer"], admin: ["viewer", "catalog"] };
const changing = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let hq: Hq;
let routes: { method: string; path: string }[] = [];
const people: Partial<Record<HqRole, Visitor>> = {};

beforeAll(async () => {
  hq = await startHq();
  for (const role of ["admin", "catalog", "viewer"] as const) people[role] = await signedIn(hq, `${role}-person`, role);
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of hq.app.routes) {
    if (!changing.has(r.method) || r.path.startsWith("/sync/") || r.path.startsWith("/api/") || r.path.endsWith("*")) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  routes = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, "1");
const gateOf = (path: string) => gates.find(([prefix]) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix));
/** Refused: told to sign in (a redirect to the sign-in or setup page, or 401/403), never served. */
const denied = (res: Response) =>
  res.status === 401 || res.status === 403 || (res.status === 303 && /^\/(login|setup)/.test(res.headers.get("Location") ?? ""));

test("the dashboard serves state-changing routes, and every one is open or under a gate", () => {
  expect(routes.length).toBeGreaterThan(15);
  expect(routes.filter((r) => !open.has(r.path) && !gateOf(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
});

describe("every state-changing route", () => {
  test("refuses a browser without a session, and changes nothing", async () => {
    const stranger = new Visitor(hq);
    await stranger.page("/login"); // the double-submit token a browser has before it signs in
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !open.has(x.path))) {
      const before = await footprint(hq.sql);
      const res = await stranger.request(r.method, concrete(r.path), { form: {} });
      if (!denied(res)) wrong.push(`${r.method} ${r.path}: ${res.status}`);
      if (!Bun.deepEquals(await footprint(hq.sql), before)) wrong.push(`${r.method} ${r.path}: changed something`);
    }
    expect(wrong).toEqual([]);
  });

  test("refuses a signed-in admin who sends no CSRF token or another's, and changes nothing", async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      for (const csrf of [null, "not-this-session-token-0123456789"]) {
        const before = await footprint(hq.sql);
        const res = await people.admin!.request(r.method, concrete(r.path), { form: {}, csrf });
        const code = await errorCode(res);
        if (res.status !== 403 || code !== "csrf_failed") wrong.push(`${r.method} ${r.path} with ${csrf ?? "no token"}: ${res.status} ${code}`);
        if (!Bun.deepEquals(await footprint(hq.sql), before)) wrong.push(`${r.method} ${r.path}: changed something`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("refuses a person whose role is below the route's gate, and changes nothing", async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const r of routes.filter((x) => !open.has(x.path))) {
      for (const role of below[gateOf(r.path)![1]]) {
        tried++;
        const before = await footprint(hq.sql);
        const res = await people[role]!.request(r.method, concrete(r.path), { form: {} });
        const code = await errorCode(res);
        if (res.status !== 403 || code !== "forbidden") wrong.push(`${r.method} ${r.path} by ${role}: ${res.status} ${code}`);
        if (!Bun.deepEquals(await footprint(hq.sql), before)) wrong.push(`${r.method} ${r.path} by ${role}: changed something`);
      }
    }
    expect(tried).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });
});
