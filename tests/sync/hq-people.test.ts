// Head office's people as an admin runs them, on a real PostgreSQL through the real app: a role changed, a password
// reset (made and shown once, or typed twice), a disabled person let in again, a person's own new password (the
// current one required), a person limited to some stores who sees no other store's rows and cannot open their pages;
// every change in the audit log with before and after, its page filtered and its CSV defused; and head office's log
// line for what it refused, with the code and the reason and no secret.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, signedIn, startHq, Visitor } from "./hq-support.ts";
import { batch, item, saleDoc } from "./support.ts";

let hq: Hq;
let admin: Visitor;
const refusals: string[] = [];
/** The same app on the same database, its refusal log kept here. */
let logged: Pick<Hq, "app">;

beforeAll(async () => {
  hq = await startHq();
  admin = await signedIn(hq, "Ada", "admin");
  logged = { app: createHqApp(hq.sql, "test", { clock: hq.clock, allowedHosts: ["hq.test"], refusalLog: (l) => refusals.push(l) }) };
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const idOf = async (name: string) => (await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = ${name}`)[0]!.id;
type Line = { who: string; action: string; before: unknown; after: unknown };
const auditOf = async (subject: string): Promise<Line[]> => [
  ...(await hq.sql<Line[]>`SELECT who, action, before, after FROM hq_audit WHERE subject = ${subject} ORDER BY id`),
];

/** Post a form from the person's page, as the page would (its CSRF token read first). */
async function onPersonPage(v: Visitor, id: number, path: string, form: Record<string, string>) {
  await v.page(`/users/${id}`);
  const res = await v.request("POST", `/users/${id}/${path}`, { form });
  return { res, html: await res.text() };
}

describe("an admin manages a person", () => {
  test("a role changed: the person's next request has the new role, and the log has before → after", async () => {
    const vera = await signedIn(hq, "Vera", "viewer");
    expect((await vera.request("GET", "/users")).status).toBe(403);
    const id = await idOf("Vera");
    const { res } = await onPersonPage(admin, id, "role", { role: "admin" });
    expect(res.status).toBe(200);
    expect((await vera.request("GET", "/users")).status).toBe(200);
    expect(await auditOf("user Vera")).toEqual([
      { who: "test", action: "user.added", before: null, after: { name: "Vera", role: "viewer" } },
      { who: "Ada", action: "user.role_changed", before: { role: "viewer" }, after: { role: "admin" } },
    ]);
    // no role that is not one, and the last admin stays one
    const bad = await onPersonPage(admin, id, "role", { role: "owner" });
    expect(bad.res.status).toBe(422);
    await onPersonPage(admin, id, "role", { role: "viewer" });
    const last = await onPersonPage(admin, await idOf("Ada"), "role", { role: "viewer" });
    expect(last.res.status).toBe(409);
    expect((await hq.sql`SELECT role FROM hq_users WHERE name = 'Ada'`)[0]!.role).toBe("admin");
  });

  test("a password reset: a made one shown once signs in, the old one and the old sessions do not", async () => {
    const rita = await signedIn(hq, "Rita", "viewer", "rita-old-password");
    const id = await idOf("Rita");
    const { res, html } = await onPersonPage(admin, id, "password", { password: "", password2: "" });
    expect(res.status).toBe(200);
    const made = /data-testid="made-password-value">([^<]+)</.exec(html)?.[1];
    expect(made).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    // Rita's open session ended; her old password is refused and the new one works
    expect((await rita.request("GET", "/")).status).toBe(303);
    expect((await new Visitor(hq).signIn("Rita", "rita-old-password")).status).toBe(401);
    expect((await new Visitor(hq).signIn("Rita", made!)).status).toBe(303);
    // shown on that answer only: the person's page again does not hold it, nor does the log
    expect((await admin.page(`/users/${id}`)).html).not.toContain(made!);
    const log = await auditOf("user Rita");
    expect(log.at(-1)).toEqual({ who: "Ada", action: "user.password_reset", before: { sessions: 1 }, after: { password: "made by head office", sessions: 0 } });
    expect(JSON.stringify(log)).not.toContain(made!);

    // typed twice, alike; two that differ change nothing
    const differ = await onPersonPage(admin, id, "password", { password: "rita-new-password-1", password2: "rita-new-password-2" });
    expect(differ.res.status).toBe(422);
    expect(differ.html).toContain("The two passwords differ");
    expect((await new Visitor(hq).signIn("Rita", made!)).status).toBe(303);
    const typed = await onPersonPage(admin, id, "password", { password: "rita-new-password-1", password2: "rita-new-password-1" });
    expect(typed.res.status).toBe(200);
    expect(typed.html).not.toContain("made-password-value");
    expect((await new Visitor(hq).signIn("Rita", "rita-new-password-1")).status).toBe(303);
  });

  test("a disabled person let in again, and a paused one too", async () => {
    await signedIn(hq, "Dora", "viewer", "dora-password-1");
    const id = await idOf("Dora");
    await admin.page("/users");
    expect((await admin.request("POST", `/users/${id}/disable`)).status).toBe(200);
    expect((await new Visitor(hq).signIn("Dora", "dora-password-1")).status).toBe(401);
    const { res } = await onPersonPage(admin, id, "enable", {});
    expect(res.status).toBe(200);
    expect((await new Visitor(hq).signIn("Dora", "dora-password-1")).status).toBe(303);

    // five wrong passwords from one address pause her there; re-enabling lifts the pause
    const guesser = new Visitor(hq);
    for (let i = 0; i < 5; i++) await guesser.signIn("Dora", `wrong-password-${i}`);
    expect(await errorCode(await guesser.signIn("Dora", "dora-password-1"))).toBeNull(); // a page, with its sentence
    expect((await guesser.signIn("Dora", "dora-password-1")).status).toBe(423);
    await onPersonPage(admin, id, "enable", {});
    expect((await guesser.signIn("Dora", "dora-password-1")).status).toBe(303);
    expect((await auditOf("user Dora")).map((r) => [r.action, r.before, r.after])).toEqual([
      ["user.added", null, { name: "Dora", role: "viewer" }],
      ["user.disabled", { disabled: false }, { disabled: true }],
      ["user.enabled", { disabled: true }, { disabled: false }],
      ["user.enabled", { disabled: false }, { disabled: false }],
    ]);
  });
});

describe("a person's own password", () => {
  test("a wrong current password is refused and changes nothing; the right one changes it and ends other sessions", async () => {
    const otto = await signedIn(hq, "Otto", "viewer", "otto-password-1");
    const elsewhere = await new Visitor(hq).signIn("Otto", "otto-password-1");
    expect(elsewhere.status).toBe(303);
    const other = new Visitor(hq);
    await other.signIn("Otto", "otto-password-1");

    await otto.page("/account");
    const wrong = await otto.request("POST", "/account/password", {
      form: { current: "not-my-password", password: "otto-password-2", password2: "otto-password-2" },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That is not your current password");
    expect((await new Visitor(hq).signIn("Otto", "otto-password-1")).status).toBe(303);
    expect((await auditOf("user Otto")).map((r) => r.action)).toEqual(["user.added"]);

    const ok = await otto.request("POST", "/account/password", {
      form: { current: "otto-password-1", password: "otto-password-2", password2: "otto-password-2" },
    });
    expect(ok.status).toBe(200);
    expect((await otto.request("GET", "/account")).status).toBe(200); // this session goes on
    expect((await other.request("GET", "/")).status).toBe(303); // the other one ended
    expect((await new Visitor(hq).signIn("Otto", "otto-password-1")).status).toBe(401);
    expect((await new Visitor(hq).signIn("Otto", "otto-password-2")).status).toBe(303);
    expect((await auditOf("user Otto")).at(-1)).toEqual({
      who: "Otto",
      action: "user.password_changed",
      before: null,
      after: { password: "changed by themselves" },
    });
  });
});

describe("a person limited to some stores", () => {
  let north: string;
  let south: string;
  let lena: Visitor;
  let southLetter: number;

  beforeAll(async () => {
    north = (await addStore(hq.sql, "North")).storeId;
    south = (await addStore(hq.sql, "South")).storeId;
    // a sale each, and a dead letter each (a kind head office does not know)
    for (const [store, epoch] of [
      [north, "EN"],
      [south, "ES"],
    ] as const) {
      expect((await receiveBatch(hq.sql, store, batch(store, epoch, [item(1, saleDoc(1)), item(2, { gift: 1 }, "gift_card")]))).status).toBe(200);
    }
    southLetter = (await hq.sql<{ id: number }[]>`SELECT id FROM dead_letters WHERE store_id = ${south}::uuid`)[0]!.id;
    lena = await signedIn(hq, "Lena", "admin");
    const { res } = await onPersonPage(admin, await idOf("Lena"), "stores", { which: "some", [`store:${north}`]: "on" });
    expect(res.status).toBe(200);
  });

  test("the overview, the dead letters, reconciliation and the store pages show only their stores; another's page is not found", async () => {
    const overview = (await lena.page("/")).html;
    expect(overview).toContain("North");
    expect(overview).not.toContain("South");
    expect(overview).not.toContain(south);
    // everyone else still sees both
    expect((await admin.page("/")).html).toContain("South");

    const letters = (await lena.page("/dead-letters")).html;
    expect(letters).toContain(north);
    expect(letters).not.toContain(south);
    expect((await lena.page(`/dead-letters?store=${south}`)).html).not.toContain("gift_card");
    expect((await lena.request("GET", `/dead-letters/${southLetter}`)).status).toBe(404);
    await lena.page("/dead-letters");
    const discard = await lena.request("POST", `/dead-letters/${southLetter}/discard`, { form: { reason: "not mine to settle" } });
    expect(discard.status).toBe(404);
    expect((await hq.sql`SELECT 1 FROM dead_letters WHERE id = ${southLetter}`).length).toBe(1);

    expect((await lena.request("GET", `/stores/${north}`)).status).toBe(200);
    const other = await lena.request("GET", `/stores/${south}`);
    expect([other.status, await errorCode(other)]).toEqual([404, "store_not_found"]);
    expect((await admin.request("GET", `/stores/${south}`)).status).toBe(200);

    // reconciliation of the day of their sales
    const day = (await hq.sql<{ d: string }[]>`SELECT business_date::text AS d FROM sales WHERE store_id = ${south}::uuid`)[0]!.d;
    const asked = `/reconciliation?from=${day}&to=${day}`;
    expect((await admin.page(asked)).html).toContain("South");
    const theirs = (await lena.page(asked)).html;
    expect(theirs).toContain("North");
    expect(theirs).not.toContain("South");
  });

  test("the limit is in the log by store name, and every store again lifts it", async () => {
    const id = await idOf("Lena");
    expect((await auditOf("user Lena")).at(-1)).toEqual({
      who: "Ada",
      action: "user.stores_limited",
      before: { stores: "every store" },
      after: { stores: ["North"] },
    });
    const none = await onPersonPage(admin, id, "stores", { which: "some" });
    expect(none.res.status).toBe(422);
    expect(none.html).toContain("Tick at least one store");
    await onPersonPage(admin, id, "stores", { which: "all" });
    expect((await lena.page("/")).html).toContain("South");
    expect((await lena.request("GET", `/stores/${south}`)).status).toBe(200);
  });
});

describe("the audit log", () => {
  test("newest first, filtered by who, action and day; admins only", async () => {
    const { res, html } = await admin.page("/audit");
    expect(res.status).toBe(200);
    const actions = [...html.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions[0]).toBe("user.stores_limited");
    expect(actions).toContain("user.password_reset");
    const byOtto = (await admin.page("/audit?who=Otto")).html;
    expect([...byOtto.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1])).toEqual(["user.password_changed"]);
    const roles = (await admin.page("/audit?action=user.role_changed")).html;
    expect(roles.match(/data-testid="audit-row"/g)?.length).toBe(2);
    expect(roles).toContain("role: viewer");
    const today = hq.clock.now().toISOString().slice(0, 10);
    expect((await admin.page(`/audit?day=${today}`)).html).toContain("user.role_changed");
    expect((await admin.page("/audit?day=2001-01-01")).html).not.toContain('data-testid="audit-row"');
    expect((await admin.request("GET", "/audit?day=tomorrow")).status).toBe(400);
    const viewer = await signedIn(hq, "Vik", "viewer");
    expect((await viewer.request("GET", "/audit")).status).toBe(403);
    expect((await viewer.request("GET", "/audit/export.csv")).status).toBe(403);
  });

  test("the CSV export has the same lines, and a name a spreadsheet would run is defused", async () => {
    // a name starting with "=" is a valid name; in a spreadsheet it must stay text
    await admin.page("/users");
    expect((await admin.request("POST", "/users", { form: { name: "=HYPERLINK(1)", role: "viewer", password: "formula-password-1" } })).status).toBe(200);
    const formula = new Visitor(hq);
    await formula.signIn("=HYPERLINK(1)", "formula-password-1");
    await formula.page("/account");
    const changed = await formula.request("POST", "/account/password", {
      form: { current: "formula-password-1", password: "formula-password-2", password2: "formula-password-2" },
    });
    expect(changed.status).toBe(200);
    const mine = (await (await admin.request("GET", `/audit/export.csv?who=${encodeURIComponent("=HYPERLINK(1)")}`)).text()).split("\r\n");
    expect(mine[1]).toMatch(/^"[^"]+","'=HYPERLINK\(1\)","user.password_changed",/);
    const res = await admin.request("GET", "/audit/export.csv?action=user.added");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe('"at_utc","who","action","store","subject","before","after","before_json","after_json"');
    expect(lines.slice(1).every((l) => l.includes('"user.added"'))).toBe(true);
    expect(lines.length - 1).toBe((await hq.sql`SELECT 1 FROM hq_audit WHERE action = 'user.added'`).length);
  });
});

describe("head office's log of what it refused", () => {
  test("a page's refusal and a store's say the code and the reason, and never a password or a token", async () => {
    refusals.length = 0;
    const v = new Visitor(logged);
    await v.signIn("Ada", "not-the-password-at-all");
    const line = refusals.find((l) => l.includes("POST /login"));
    expect(line).toContain("401 wrong_password");
    expect(line).toContain("That name and password do not match.");
    expect(refusals.join("\n")).not.toContain("not-the-password-at-all");

    const store = await addStore(hq.sql, "East");
    const token = "sf_this-token-is-wrong-and-secret";
    refusals.length = 0;
    const res = await logged.app.request("http://hq.test/sync/v1/batches", {
      method: "POST",
      headers: { Host: "hq.test", Authorization: `Bearer ${token}`, "X-Store-Id": store.storeId, "Content-Type": "application/json" },
      body: JSON.stringify(batch(store.storeId, "E1", [item(1, saleDoc(1))])),
    });
    expect(res.status).toBe(401);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^hq: refused POST \/sync\/v1\/batches(?: store [0-9a-f-]{36})?: 401 store_token_invalid — /);
    expect(refusals[0]).not.toContain(token);

    // a signed-in person refused by role: who, code and why
    refusals.length = 0;
    const viewer = new Visitor(logged);
    await viewer.signIn("Vik", "Vik-password-1");
    await viewer.request("GET", "/users");
    expect(refusals.at(-1)).toBe('hq: refused GET /users by "Vik": 403 forbidden — This needs an admin; Vik is a viewer.');

    // what a client put in the address cannot forge a second log line or put a NUL in the log
    refusals.length = 0;
    await logged.app.request("http://hq.test/catalog/a%00b%0Ahq: refused nothing%1b[2J", { headers: { Host: "hq.test" } });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).not.toMatch(/[\x00-\x1f]/);
    expect(refusals[0]).toContain("/catalog/a\\x00b\\x0ahq:");
  });
});
