// Head office's people and their security: first-run setup only while nobody exists, sign-in behind every page and
// API route, CSRF and Origin on every change, lockout and per-address throttling, idle sessions, roles, API tokens.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { IDLE_MINUTES } from "../../src/sync/hq/people/sessions.ts";
import { addUser } from "../../src/sync/hq/people/users.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, footprint, type Hq, sentTo, signedIn, startHq, Visitor } from "./hq-support.ts";

let hq: Hq;

beforeAll(async () => {
  hq = await startHq();
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

/** Every page a person can reach, GET; and every change, POST with a form that would be accepted from an admin. */
const pages = [
  "/",
  "/catalog",
  "/catalog?q=milk",
  "/catalog/new-product",
  "/catalog/products/MILK",
  "/catalog/new-tax-class",
  "/catalog/tax-classes/STD",
  "/catalog/draft",
  "/catalog/releases",
  "/reconciliation",
  "/stores/new",
  "/users",
  "/tokens",
  "/nothing-here",
];
const changes: [string, Record<string, string>][] = [
  ["/catalog/products", { sku: "NEW1", name: "New", price: "1.00", tax_class: "STD", active: "on" }],
  ["/catalog/products/MILK", { name: "Milk", price: "1.00", tax_class: "STD", active: "on" }],
  ["/catalog/products/MILK/price", { price: "1.11" }],
  ["/catalog/products/MILK/deactivate", {}],
  ["/catalog/tax-classes", { code: "ZERO", name: "Zero", rate: "0" }],
  ["/catalog/tax-classes/STD", { name: "Standard", rate: "21" }],
  ["/catalog/draft/publish", { effective_at: "", note: "" }],
  ["/catalog/draft/discard", {}],
  ["/catalog/draft/remove", { kind: "product", key: "MILK" }],
  ["/stores", { name: "Store X" }],
  ["/users", { name: "Mallory", role: "admin", password: "mallory-password" }],
  ["/users/1/disable", {}],
  ["/users/1/unlock", {}],
  ["/tokens", { name: "Mallory's" }],
  ["/tokens/1/revoke", {}],
];
const apiRoutes = ["/api/v1/stores", "/api/v1/stores?from=2026-11-01", "/api/v1/stores/0190f4f2-0000-7000-8000-000000000000/summary", "/api/v1/nothing"];

describe("before anyone exists", () => {
  test("every page sends to first-run setup, and setup makes exactly one admin, signed in", async () => {
    const v = new Visitor(hq);
    for (const p of pages) {
      const res = await v.request("GET", p);
      expect([p, res.status, sentTo(res)]).toEqual([p, 303, "/setup"]);
    }
    expect(sentTo(await v.request("GET", "/login"))).toBe("/setup");
    const setup = await v.page("/setup");
    expect(setup.res.status).toBe(200);
    expect(setup.html).toContain('name="password"');

    // a short password is refused beside its field, and nobody is made
    const short = await v.request("POST", "/setup", { form: { name: "Ada", password: "short" } });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('data-testid="password-error"');
    expect((await footprint(hq.sql)).users).toBe("0/0");

    // two first-run pages submitted at once: one admin. The names differ only in case, so without the lock the
    // loser would meet the unique name (422); with it, it finds setup done (409).
    const rival = new Visitor(hq);
    await rival.page("/setup");
    const [made, lost] = await Promise.all([
      v.request("POST", "/setup", { form: { name: "Ada", password: "ada-password-1" } }),
      rival.request("POST", "/setup", { form: { name: "ada", password: "ada-password-1" } }),
    ]);
    const [won, loser] = made.status === 303 ? [v, lost] : [rival, made];
    expect(loser.status).toBe(409);
    expect(await errorCode(loser)).toBe("setup_done");
    expect((await footprint(hq.sql)).users).toBe("1/0");
    const home = await won.page("/");
    expect(home.res.status).toBe(200);
    expect(home.html.toLowerCase()).toContain("ada · admin");

    // and then setup is gone: the page sends to sign-in, a second admin is refused
    const other = new Visitor(hq);
    expect(sentTo(await other.request("GET", "/setup"))).toBe("/login");
    await other.page("/login");
    const again = await other.request("POST", "/setup", { form: { name: "Eve", password: "eve-password-1" } });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("setup_done");
    expect((await footprint(hq.sql)).users).toBe("1/0");
  });
});

describe("signed out", () => {
  test("every page sends to sign-in with the page to come back to, every change is 401, and nothing changes", async () => {
    await addStore(hq.sql, "Store 1");
    const v = new Visitor(hq);
    for (const p of pages) {
      const res = await v.request("GET", p);
      expect([p, res.status, sentTo(res)]).toEqual([p, 303, `/login?next=${encodeURIComponent(p)}`]);
    }
    // htmx asks: sent to sign in through HX-Redirect
    const htmx = await v.request("GET", "/catalog?q=x", { headers: { "HX-Request": "true" } });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get("HX-Redirect")).toBe("/login?next=%2Fcatalog%3Fq%3Dx");
    await v.page("/login"); // a real pre-session CSRF token: the refusal below is the sign-in check, not CSRF
    const before = await footprint(hq.sql);
    for (const [p, form] of changes) {
      const res = await v.request("POST", p, { form });
      expect([p, res.status, await errorCode(res)]).toEqual([p, 401, "sign_in"]);
    }
    expect(await footprint(hq.sql)).toEqual(before);
  });

  test("every API route needs a live API token: 401 with a code and a sentence otherwise", async () => {
    const { secret, id } = await createApiToken(hq.sql, "BI", "test");
    for (const p of apiRoutes) {
      for (const [auth, code] of [
        [undefined, "api_token_required"],
        ["Bearer sfhqapi_not-a-real-token", "api_token_invalid"],
        ["Basic YTpi", "api_token_invalid"],
      ] as const) {
        const res = await hq.app.request(p, { headers: auth ? { Authorization: auth } : {} });
        expect([p, auth, res.status]).toEqual([p, auth, 401]);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe(code);
        expect(body.error.message.length).toBeGreaterThan(20);
        expect(res.headers.get("WWW-Authenticate")).toStartWith("Bearer");
      }
    }
    // a session cookie is not an API token
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    expect((await ada.request("GET", "/api/v1/stores")).status).toBe(401);

    const ok = await hq.app.request("/api/v1/stores", { headers: { Authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    const [used] = await hq.sql<{ last_used_at: Date | null }[]>`SELECT last_used_at FROM hq_api_tokens WHERE id = ${id}`;
    expect(used!.last_used_at).not.toBeNull();
    await hq.sql`UPDATE hq_api_tokens SET revoked_at = now() WHERE id = ${id}`;
    const revoked = await hq.app.request("/api/v1/stores", { headers: { Authorization: `Bearer ${secret}` } });
    expect(revoked.status).toBe(401);
    expect(await errorCode(revoked)).toBe("api_token_invalid");
    // the stores' own sync routes still take store tokens, not API tokens
    expect((await hq.app.request("/sync/v1/catalog/changes?since=0", { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
  });

  test("pages carry the strict CSP and are never cached", async () => {
    const res = await new Visitor(hq).request("GET", "/login");
    expect(res.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(res.headers.get("Content-Security-Policy")).not.toContain("unsafe");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+="/);
  });
});

describe("signing in", () => {
  test("the session cookie is HttpOnly and SameSite=Strict, Secure over https; sign-out ends the session", async () => {
    await addUser(hq.sql, { name: "Cookie", role: "viewer", password: "cookie-password-1", createdBy: "test" });
    const plain = new Visitor(hq);
    const res = await plain.signIn("Cookie", "cookie-password-1");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sfhq_session="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
    const viaProxy = new Visitor(hq);
    const https = await viaProxy.signIn("Cookie", "cookie-password-1", { "X-Forwarded-Proto": "https" });
    expect(https.headers.getSetCookie().find((c) => c.startsWith("sfhq_session="))).toContain("Secure");

    expect((await plain.request("GET", "/")).status).toBe(200);
    const out = await plain.request("POST", "/logout");
    expect(sentTo(out)).toBe("/login");
    const kept = plain.cookies.get("sfhq_session");
    expect(kept).toBeUndefined();
    // the old cookie, replayed, signs nobody in
    const replay = new Visitor(hq);
    replay.cookies.set(
      "sfhq_session",
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith("sfhq_session="))!
        .split(";")[0]!
        .slice("sfhq_session=".length),
    );
    expect(sentTo(await replay.request("GET", "/"))).toStartWith("/login");
  });

  test("a session idle for longer than the timeout is over", async () => {
    const v = await signedIn(hq, "Idle", "viewer");
    hq.clock.advance((IDLE_MINUTES - 1) * 60_000);
    expect((await v.request("GET", "/")).status).toBe(200); // seen: the idle time starts again
    hq.clock.advance((IDLE_MINUTES - 1) * 60_000);
    expect((await v.request("GET", "/")).status).toBe(200);
    hq.clock.advance(IDLE_MINUTES * 60_000 + 1000);
    const res = await v.request("GET", "/");
    expect(sentTo(res)).toBe("/login?next=%2F");
  });

  test("five wrong passwords from one address lock that name there for 15 minutes, even against the right one; an admin unlocks", async () => {
    await addUser(hq.sql, { name: "Lock", role: "catalog", password: "lock-password-1", createdBy: "test" });
    const sql = hq.sql;
    const here = "192.0.2.10";
    for (let i = 1; i <= 4; i++) {
      const res = await new Visitor(hq, here).signIn("Lock", `wrong-password-${i}`);
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBeNull(); // the sign-in page again, with the sentence
    }
    const fifth = await new Visitor(hq, here).signIn("lock", "wrong-password-5"); // names are found whatever their case
    expect(fifth.status).toBe(423);
    expect(await fifth.text()).toContain("15 minutes");
    const right = await new Visitor(hq, here).signIn("Lock", "lock-password-1");
    expect(right.status).toBe(423);
    expect((await sql`SELECT 1 FROM hq_sessions s JOIN hq_users u ON u.id = s.user_id WHERE u.name = 'Lock'`).length).toBe(0);
    // an unknown name gets the same answer as a wrong password: nobody learns which names exist
    const unknown = await new Visitor(hq).signIn("Nobody", "whatever-password");
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("That name and password do not match.");

    hq.clock.advance(15 * 60_000 + 1000);
    expect((await new Visitor(hq, here).signIn("Lock", "lock-password-1")).status).toBe(303);

    // locked again; the users page says so, and an admin unlocks at once
    for (let i = 0; i < 5; i++) await new Visitor(hq, here).signIn("Lock", "wrong-password");
    expect((await new Visitor(hq, here).signIn("Lock", "lock-password-1")).status).toBe(423);
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    const [lock] = await sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lock'`;
    expect((await ada.page("/users")).html).toContain("locked until");
    expect((await ada.request("POST", `/users/${lock!.id}/unlock`)).status).toBe(200);
    expect((await new Visitor(hq, here).signIn("Lock", "lock-password-1")).status).toBe(303);
  });

  test("an unknown name gets exactly the answers a real one gets, and no name is shown as head office spells it", async () => {
    await addUser(hq.sql, { name: "Sam Real", role: "viewer", password: "sam-password-1", createdBy: "test" });
    const answers = async (typed: string, address: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const v = new Visitor(hq, address);
        const res = await v.signIn(typed, "not-the-password");
        out.push(`${res.status} ${(await res.text()).replaceAll(v.csrf, "CSRF").replaceAll(typed, "NAME")}`);
      }
      return out;
    };
    const real = await answers("sAM rEAL", "192.0.2.21");
    const unknown = await answers("sAM gHOST", "192.0.2.22");
    expect(real.map((a) => a.slice(0, 3))).toEqual(["401", "401", "401", "401", "423", "423", "423"]);
    expect(unknown).toEqual(real);
    for (const a of real) expect(a).not.toContain("Sam Real");
  });

  test("a stranger's wrong passwords lock the name only at the stranger's address: the admin signs in from their own", async () => {
    await addUser(hq.sql, { name: "Only Admin", role: "viewer", password: "only-admin-password", createdBy: "test" });
    const office = "192.0.2.30";
    expect((await new Visitor(hq, office).signIn("Only Admin", "only-admin-password")).status).toBe(303);
    const stranger = "198.18.0.1";
    const tries: number[] = [];
    for (let i = 0; i < 7; i++) tries.push((await new Visitor(hq, stranger).signIn("only admin", `guess-${i}`)).status);
    expect(tries).toEqual([401, 401, 401, 401, 423, 423, 423]);
    expect((await new Visitor(hq, stranger).signIn("Only Admin", "only-admin-password")).status).toBe(423);
    expect((await new Visitor(hq, office).signIn("Only Admin", "only-admin-password")).status).toBe(303);
    // a new address of the admin's is not locked either
    expect((await new Visitor(hq, "192.0.2.31").signIn("Only Admin", "only-admin-password")).status).toBe(303);
  });

  test("wrong passwords sent at once from one address are all counted: five are checked, the rest refused unchecked", async () => {
    await addUser(hq.sql, { name: "Burst", role: "viewer", password: "burst-password-1", createdBy: "test" });
    const here = "192.0.2.40";
    const visitors = Array.from({ length: 9 }, () => new Visitor(hq, here));
    for (const v of visitors) await v.page("/login");
    const checked = spyOn(Bun.password, "verify");
    try {
      const answers = await Promise.all(visitors.map((v, i) => v.request("POST", "/login", { form: { name: "Burst", password: `wrong-${i}`, next: "/" } })));
      expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 423, 423, 423, 423, 423]);
      expect(checked).toHaveBeenCalledTimes(5);
    } finally {
      checked.mockRestore();
    }
    expect((await new Visitor(hq, here).signIn("Burst", "burst-password-1")).status).toBe(423);
  });

  test("a burst from many addresses at once is counted against the name before any password is checked: at most 100 are", async () => {
    await addUser(hq.sql, { name: "Swarm", role: "viewer", password: "swarm-password-1", createdBy: "test" });
    const visitors = Array.from({ length: 150 }, (_, a) => new Visitor(hq, `198.21.${Math.floor(a / 250)}.${(a % 250) + 1}`));
    for (const v of visitors) await v.page("/login");
    const checked = spyOn(Bun.password, "verify");
    try {
      const answers = await Promise.all(visitors.map((v, i) => v.request("POST", "/login", { form: { name: "Swarm", password: `guess-${i}`, next: "/" } })));
      expect(checked.mock.calls.length).toBeLessThanOrEqual(100);
      expect(answers.filter((r) => r.status === 423).length).toBeGreaterThanOrEqual(50);
    } finally {
      checked.mockRestore();
    }
  });

  test("many addresses guessing one name: past the account-wide limit only addresses it signed in from before get through", async () => {
    await addUser(hq.sql, { name: "Target", role: "viewer", password: "target-password-1", createdBy: "test" });
    const home = "192.0.2.50";
    expect((await new Visitor(hq, home).signIn("Target", "target-password-1")).status).toBe(303);
    // twenty addresses, five wrong passwords each, for the real name and for one nobody has
    const attack = async (name: string, net: number) => {
      await Promise.all(
        Array.from({ length: 20 }, async (_, a) => {
          for (let i = 0; i < 5; i++) await new Visitor(hq, `198.${net}.${a}.1`).signIn(name, `guess-${i}`);
        }),
      );
    };
    await Promise.all([attack("Target", 19), attack("Phantom", 20)]);
    const fresh = await new Visitor(hq, "192.0.2.51").signIn("Target", "target-password-1");
    expect(fresh.status).toBe(423);
    const said = await fresh.text();
    expect(said).toContain("many addresses");
    expect(said).not.toContain("target-password-1");
    const phantom = await new Visitor(hq, "192.0.2.52").signIn("Phantom", "target-password-1");
    expect(phantom.status).toBe(423);
    expect(await phantom.text()).toContain("many addresses");
    // where the admin signed in before, the admin still gets in
    expect((await new Visitor(hq, home).signIn("Target", "target-password-1")).status).toBe(303);
    // and once the hour is over, so does a new address
    hq.clock.advance(61 * 60_000);
    expect((await new Visitor(hq, "192.0.2.51").signIn("Target", "target-password-1")).status).toBe(303);
  }, 60_000);

  test("one address trying too often gets 429 and its attempt is not checked; other addresses go on", async () => {
    await addUser(hq.sql, { name: "Many", role: "viewer", password: "many-password-1", createdBy: "test" });
    const from = "203.0.113.7";
    const statuses: number[] = [];
    // many names, so no lockout is involved: only the address's pace
    for (let i = 0; i < 10; i++) statuses.push((await new Visitor(hq, from).signIn(`guess-${i}`, "guess-password")).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await new Visitor(hq, from).signIn("Many", "many-password-1");
    expect(eleventh.status).toBe(429);
    expect(await eleventh.text()).toContain("wait a minute");
    expect((await hq.sql`SELECT 1 FROM hq_sessions s JOIN hq_users u ON u.id = s.user_id WHERE u.name = 'Many'`).length).toBe(0);
    expect((await new Visitor(hq, "203.0.113.8").signIn("Many", "many-password-1")).status).toBe(303);
    hq.clock.advance(61_000);
    expect((await new Visitor(hq, from).signIn("Many", "many-password-1")).status).toBe(303);
  });
});

describe("CSRF and Origin", () => {
  test("a change without our token or from another origin is 403 and changes nothing; with both it goes through", async () => {
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    await hq.sql`DELETE FROM catalog_draft_changes`;
    await hq.sql`INSERT INTO catalog_releases (version, effective_at, note, changes) VALUES (
      (SELECT coalesce(max(version), 0) + 1 FROM catalog_releases), now(), 'seed',
      ${hq.sql.json({ tax_classes: [{ code: "STD", name: "Standard", rate_bp: 2000 }], products: [{ sku: "MILK", barcode: null, name: "Milk", price: 119, tax_class: "STD", category: null, weighed: false, active: true }] })})`;
    await ada.page("/catalog/draft");
    const good = ada.csrf;
    for (const [p, form] of changes.filter(([path]) => path !== "/catalog/draft/publish")) {
      const before = await footprint(hq.sql);
      const cases: [string, Parameters<Visitor["request"]>[2]][] = [
        ["no token", { form, csrf: null }],
        ["wrong token", { form, csrf: "x".repeat(32) }],
        ["the pre-session cookie's token", { form, csrf: ada.cookies.get("sfhq_csrf") ?? "none" }],
        ["another origin", { form, origin: "https://evil.example" }],
        ["a broken origin", { form, origin: "null" }],
        ["cross-site fetch without Origin", { form, origin: null, headers: { "Sec-Fetch-Site": "cross-site" } }],
      ];
      for (const [why, o] of cases) {
        const res = await ada.request("POST", p, o);
        expect([p, why, res.status]).toEqual([p, why, 403]);
        expect(["csrf_failed", "bad_origin"]).toContain((await errorCode(res))!);
      }
      expect([p, await footprint(hq.sql)]).toEqual([p, before]);
      ada.csrf = good;
    }
    // the token in the X-CSRF-Token header (as htmx sends it) works as well as the form field
    const viaHeader = await ada.request("POST", "/catalog/products/MILK/price", { form: { price: "1.29" }, csrf: null, headers: { "X-CSRF-Token": good } });
    expect(viaHeader.status).toBe(303);
    expect((await footprint(hq.sql)).draft).toContain('"price": 129');
  });
});

test("X-Forwarded-Host counts for the Origin check only behind a proxy head office was told to trust", async () => {
  const ada = new Visitor(hq);
  await ada.signIn("Ada", "ada-password-1");
  await ada.page("/catalog");
  const before = await footprint(hq.sql);
  const forged = await ada.request("POST", "/catalog/products/MILK/price", {
    form: { price: "6.66" },
    origin: "https://evil.example",
    headers: { "X-Forwarded-Host": "evil.example" },
  });
  expect(forged.status).toBe(403);
  expect(await errorCode(forged)).toBe("bad_origin");
  expect(await footprint(hq.sql)).toEqual(before);

  // started with --trust-proxy, the host the proxy was asked for is ours
  const behindProxy = { app: createHqApp(hq.sql, "test", { clock: hq.clock, trustProxy: true, allowedHosts: ["hq.test", "hq.example.com"] }) };
  const proxied = new Visitor(behindProxy);
  await proxied.signIn("Ada", "ada-password-1");
  await proxied.page("/catalog");
  const ok = await proxied.request("POST", "/catalog/products/MILK/price", {
    form: { price: "1.49" },
    origin: "https://hq.example.com",
    headers: { "X-Forwarded-Host": "hq.example.com" },
  });
  expect(ok.status).toBe(303);
  expect((await footprint(hq.sql)).draft).toContain('"price": 149');
});

describe("roles", () => {
  test("a viewer reads but changes nothing; catalog edits the catalog but not users, stores or tokens", async () => {
    const viewer = await signedIn(hq, "Vera", "viewer");
    const catalog = await signedIn(hq, "Carl", "catalog");
    for (const p of ["/", "/catalog", "/catalog/draft", "/catalog/releases", "/reconciliation"]) {
      expect([p, (await viewer.request("GET", p)).status]).toEqual([p, 200]);
    }
    const catalogHtml = (await viewer.page("/catalog")).html;
    expect(catalogHtml).not.toContain("Change price");
    expect(catalogHtml).not.toContain('href="/users"');
    for (const p of ["/catalog/new-product", "/catalog/products/MILK", "/stores/new", "/users", "/tokens"]) {
      const res = await viewer.request("GET", p);
      expect([p, res.status, await errorCode(res)]).toEqual([p, 403, "forbidden"]);
    }
    await viewer.page("/");
    const before = await footprint(hq.sql);
    for (const [p, form] of changes) {
      const res = await viewer.request("POST", p, { form });
      expect([p, res.status]).toEqual([p, 403]);
    }
    expect(await footprint(hq.sql)).toEqual(before);

    for (const p of ["/stores/new", "/users", "/tokens"]) expect([p, (await catalog.request("GET", p)).status]).toEqual([p, 403]);
    await catalog.page("/catalog");
    for (const [p, form] of changes.filter(([path]) => /^\/(stores|users|tokens)/.test(path))) {
      expect([p, (await catalog.request("POST", p, { form })).status]).toEqual([p, 403]);
    }
    expect(await footprint(hq.sql)).toEqual(before);
    const price = await catalog.request("POST", "/catalog/products/MILK/price", { form: { price: "1.39" } });
    expect(price.status).toBe(303);
    expect((await footprint(hq.sql)).draft).toContain('"price": 139');
  });

  test("an admin adds users (password of 10 or more), disables them (signed out at once), never the last admin", async () => {
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    await ada.page("/users");
    const short = await ada.request("POST", "/users", { form: { name: "Zoe", role: "viewer", password: "123456789" } });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("at least 10 characters");
    const dup = await ada.request("POST", "/users", { form: { name: "ada", role: "viewer", password: "1234567890" } });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain("There is already a user called ada.");
    expect((await ada.request("POST", "/users", { form: { name: "Zoe", role: "viewer", password: "1234567890" } })).status).toBe(200);
    const zoe = new Visitor(hq);
    expect((await zoe.signIn("Zoe", "1234567890")).status).toBe(303);
    const [z] = await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Zoe'`;
    expect((await ada.request("POST", `/users/${z!.id}/disable`)).status).toBe(200);
    expect(sentTo(await zoe.request("GET", "/"))).toStartWith("/login");
    expect((await new Visitor(hq).signIn("Zoe", "1234567890")).status).toBe(401);

    const [a] = await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE lower(name) = 'ada'`;
    const last = await ada.request("POST", `/users/${a!.id}/disable`);
    expect(last.status).toBe(409);
    expect(await errorCode(last)).toBe("last_admin");
  });

  test("an admin registers a store: id and token shown once with the line to run, and the token works for sync", async () => {
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    await ada.page("/stores/new");
    const empty = await ada.request("POST", "/stores", { form: { name: "  " } });
    expect(empty.status).toBe(422);
    const res = await ada.request("POST", "/stores", { form: { name: "Store 12" }, headers: { "X-Forwarded-Proto": "https" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    const id = /data-testid="store-id">([^<]+)</.exec(html)![1]!;
    const token = /data-testid="store-token">([^<]+)</.exec(html)![1]!;
    expect(html).toContain(`shopflow serve --hq-url https://hq.test --hq-store ${id} --hq-token ${token}`);
    const [row] = await hq.sql<{ token_hash: string }[]>`SELECT token_hash FROM stores WHERE store_id = ${id}::uuid`;
    expect(row!.token_hash).not.toContain(token);
    expect((await hq.app.request("/sync/v1/catalog/changes?since=0", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  test("an admin makes an API token in the dashboard, shown once, and revokes it", async () => {
    const ada = new Visitor(hq);
    await ada.signIn("Ada", "ada-password-1");
    await ada.page("/tokens");
    const res = await ada.request("POST", "/tokens", { form: { name: "Warehouse" } });
    const html = await res.text();
    const secret = /data-testid="token-secret">([^<]+)</.exec(html)![1]!;
    expect((await hq.app.request("/api/v1/stores", { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect((await ada.page("/tokens")).html).not.toContain(secret);
    const [t] = await hq.sql<{ id: number }[]>`SELECT id FROM hq_api_tokens WHERE name = 'Warehouse'`;
    expect((await ada.request("POST", `/tokens/${t!.id}/revoke`)).status).toBe(200);
    expect((await hq.app.request("/api/v1/stores", { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
  });
});

test("a NUL or a broken character in a form, a path or a query is refused with 400, never a server error", async () => {
  const v = new Visitor(hq);
  await v.page("/login");
  const login = await v.request("POST", "/login", { form: { name: "Ada\u0000", password: "whatever-password" } });
  expect(login.status).toBe(400);
  expect(await errorCode(login)).toBe("unstorable_text");
  const admin = await signedIn(hq, "Nul Tester", "admin");
  for (const path of ["/catalog/products/%00", "/catalog?q=a%00b", "/api/v1/stores/%00/summary"]) {
    const res = await admin.request("GET", path);
    expect({ path, status: res.status }).toEqual({ path, status: 400 });
  }
  const stores = async () => (await hq.sql`SELECT 1 FROM stores`).length;
  const before = await stores();
  const store = await admin.request("POST", "/stores", { form: { name: "Store\u0000" } });
  expect(store.status).toBe(400);
  expect(await stores()).toBe(before);
});
