// Sign-in sessions: the cookie a script cannot read and another site cannot send, a new id at every sign-in,
// the idle and absolute timeouts, the device a session belongs to, signing out, and disabling a user.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, MINUTE, send, sentTo, setCookie } from "./support.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

/** The paired device of `who` with a fresh page open, nobody signed in: what the sign-in page posts from. */
const signedOut = (who: SignedIn): Browser => ({ ...browserOf(who), session: undefined });

async function logIn(b: Browser, who: SignedIn): Promise<Response> {
  return send(t, "POST", "/login", { browser: b, form: { user_id: String(who.userId), pin: who.pin } });
}

/** The page a browser gets for the register: 200 when its session is live. */
const register = (b: Browser, htmx = false) => send(t, "GET", htmx ? "/register/sale" : "/", { browser: b, htmx });

function expectSignedOut(res: Response, htmx: boolean) {
  if (htmx) {
    expect(res.headers.get("HX-Redirect")).toBe("/login");
  } else {
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login");
  }
}

describe("the session cookie", () => {
  test("is HttpOnly and SameSite=Strict for the whole site, and so is the CSRF cookie", async () => {
    const who = await signIn(t.store, 1);
    const res = await logIn(signedOut(who), who);
    expect(res.status).toBe(303);
    const session = setCookie(res, "sf_session");
    expect(session).not.toBeNull();
    expect(session!.value.length).toBeGreaterThanOrEqual(32);
    expect(session).toHaveProperty("httponly");
    expect(session!.samesite).toBe("Strict");
    expect(session!.path).toBe("/");

    // the CSRF cookie, set on the first page a browser opens
    const first = await t.app.request("/login");
    const csrf = setCookie(first, "sf_csrf");
    expect(csrf).toHaveProperty("httponly");
    expect(csrf!.samesite).toBe("Strict");
  });

  test("pairing a browser with a manager's PIN sets the device cookie HttpOnly and SameSite=Strict, and it signs in", async () => {
    const boss = await signIn(t.store, 9, { role: "manager", shift: false });
    const fresh: Browser = { csrf: "fresh-browser-token-0123456789" };
    const paired = await send(t, "POST", "/pair", { browser: fresh, form: { register: "Lane 7", manager: String(boss.userId), manager_pin: boss.pin } });
    expect(paired.status).toBe(303);
    expect(paired.headers.get("Location")).toBe("/login");
    const device = setCookie(paired, "sf_device");
    expect(device).toHaveProperty("httponly");
    expect(device!.samesite).toBe("Strict");
    expect(Number(device!["max-age"])).toBeLessThanOrEqual(400 * 86400); // browsers cap a cookie's life at 400 days

    const cashier = await signIn(t.store, 1);
    const res = await logIn({ ...fresh, device: device!.value }, cashier);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
  });

  test("a session id the browser held before signing in is never kept: sign-in gives a new one", async () => {
    const who = await signIn(t.store, 1);
    // an id planted by someone else (session fixation)
    const planted = "planted-session-id-0123456789abcdefghij";
    const res = await logIn({ ...signedOut(who), session: planted }, who);
    expect(res.status).toBe(303);
    const fresh = setCookie(res, "sf_session")!.value;
    expect(fresh).not.toBe(planted);
    expectSignedOut(await register({ ...signedOut(who), session: planted }), false);
    expect((await register({ ...signedOut(who), session: fresh })).status).toBe(200);
  });

  test("signing in again on a live session gives a new id and ends the old one", async () => {
    const who = await signIn(t.store, 1);
    const before = browserOf(who);
    expect((await register(before)).status).toBe(200);
    const res = await logIn(before, who);
    expect(res.status).toBe(303);
    const fresh = setCookie(res, "sf_session")!.value;
    expect(fresh).not.toBe(before.session);
    expectSignedOut(await register(before), false);
    expect((await register({ ...before, session: fresh })).status).toBe(200);
  });
});

describe("timeouts", () => {
  test("15 minutes without a request end the session: a page goes to /login, htmx gets HX-Redirect", async () => {
    const who = await signIn(t.store, 1);
    const b = browserOf(who);
    // activity keeps it alive
    for (let i = 0; i < 3; i++) {
      t.clock.advance(14 * MINUTE);
      expect((await register(b)).status).toBe(200);
    }
    t.clock.advance(15 * MINUTE + 1000);
    expectSignedOut(await register(b, true), true);
    // and it stays ended: the next request does not bring it back
    expectSignedOut(await register(b), false);
  });

  test("a page request after 15 idle minutes is sent to /login", async () => {
    const who = await signIn(t.store, 1);
    t.clock.advance(15 * MINUTE + 1000);
    expectSignedOut(await register(browserOf(who)), false);
  });

  test("12 hours after sign-in the session ends, however busy the register was", async () => {
    const who = await signIn(t.store, 1);
    const b = browserOf(who);
    let minutes = 0;
    while (minutes + 14 <= 12 * 60) {
      t.clock.advance(14 * MINUTE);
      minutes += 14;
      const res = await register(b, true);
      if (res.status !== 200) throw new Error(`the session ended early, ${minutes} minutes after sign-in: ${res.status}`);
    }
    t.clock.advance(14 * MINUTE);
    expectSignedOut(await register(b, true), true);
    expectSignedOut(await register(b), false);
  });
});

describe("a session belongs to its device", () => {
  test("the session cookie taken to another device, or to a browser with no device, signs nobody in", async () => {
    const boss = await signIn(t.store, 1, { role: "manager" });
    const other = await signIn(t.store, 2);
    const stolen = browserOf(boss).session;
    // on another register
    expectSignedOut(await send(t, "GET", "/register/sale", { browser: { ...browserOf(other), session: stolen } }), false);
    // on a browser that is no register: the back office would let a manager in, but not with this cookie
    const res = await send(t, "GET", "/users", { browser: { session: stolen, csrf: "another-browser-token-0123" } });
    expect(sentTo(res)).toBe("/login");
    // the owner still works
    expect((await send(t, "GET", "/users", { browser: browserOf(boss) })).status).toBe(200);
  });

  test("signing out ends the session", async () => {
    const who = await signIn(t.store, 1);
    const b = browserOf(who);
    const res = await send(t, "POST", "/logout", { browser: b, htmx: true });
    expect(sentTo(res)).toBe("/login");
    expectSignedOut(await register(b), false);
    expectSignedOut(await register(b, true), true);
  });
});

describe("disabling a user", () => {
  test("ends every session of theirs at once, and they cannot sign in again", async () => {
    const admin = await signIn(t.store, 9, { role: "admin", shift: false });
    const cashier = await signIn(t.store, 1);
    // the same cashier signed in on a second register too
    const lane2 = await signIn(t.store, 2, { role: "supervisor" });
    const res2 = await logIn(signedOut(lane2), cashier);
    expect(res2.status).toBe(303);
    const second: Browser = { ...signedOut(lane2), session: setCookie(res2, "sf_session")!.value };
    expect((await register(browserOf(cashier))).status).toBe(200);
    expect((await register(second)).status).toBe(200);

    const res = await send(t, "POST", `/users/${cashier.userId}/disable`, { browser: browserOf(admin) });
    expect(res.status).toBe(200);

    expectSignedOut(await register(browserOf(cashier)), false);
    expectSignedOut(await register(second, true), true);
    const live = t.store.db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM sessions WHERE user_id = ? AND ended_at IS NULL").get(cashier.userId)!.n;
    expect(live).toBe(0);
    const again = await logIn(signedOut(cashier), cashier);
    expect(again.status).toBe(401);
    expect(setCookie(again, "sf_session")).toBeNull();
    expect(t.store.audit.find({ action: "user.disabled" }).map((e) => [e.user, e.subject])).toEqual([[admin.userName, cashier.userName]]);
  });

  test("a disabled manager's PIN approves nothing any more", async () => {
    const admin = await signIn(t.store, 9, { role: "admin", shift: false });
    const boss = await signIn(t.store, 8, { role: "manager", shift: false });
    const cashier = await signIn(t.store, 1);
    expect((await send(t, "POST", `/users/${boss.userId}/disable`, { browser: browserOf(admin) })).status).toBe(200);
    const res = await send(t, "POST", "/register/no-sale", {
      browser: browserOf(cashier),
      form: { reason: "change", manager_pin: boss.pin, approver: String(boss.userId) },
    });
    expect(res.status).toBe(403);
    expect(t.store.db.query("SELECT * FROM cash_movements").all()).toEqual([]);
  });
});
