// Guessing PINs: five wrong in a row lock the user for 15 minutes (a manager may unlock sooner); one device may not
// try more than 10 PINs a minute, whichever form they are typed into.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, MINUTE, send, setCookie, state } from "./support.ts";

let t: TestStore;
let boss: SignedIn;
/** A paired register with its sign-in page open, nobody signed in. */
let door: Browser;
beforeEach(async () => {
  t = makeTestStore();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
  door = { ...browserOf(boss), session: undefined };
});
afterEach(() => t.close());

const login = (b: Browser, userId: number, pin: string) => send(t, "POST", "/login", { browser: b, form: { user_id: String(userId), pin } });
const wrong = (pin: string) => (pin === "000000" ? "000001" : "000000");

async function expectSignedIn(res: Response) {
  expect(res.status).toBe(303);
  expect(setCookie(res, "sf_session")).not.toBeNull();
}

function expectRefused(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(setCookie(res, "sf_session")).toBeNull();
}

describe("five wrong PINs", () => {
  test("lock the user for 15 minutes: the right PIN is refused until then, and works after", async () => {
    const cashier = await signIn(t.store, 1);
    for (let i = 0; i < 4; i++) expectRefused(await login(door, cashier.userId, wrong(cashier.pin)), 401);
    const fifth = await login(door, cashier.userId, wrong(cashier.pin));
    expectRefused(fifth, 423);
    expect(await fifth.text()).toContain("locked");

    expectRefused(await login(door, cashier.userId, cashier.pin), 423);
    t.clock.advance(14 * MINUTE);
    expectRefused(await login(door, cashier.userId, cashier.pin), 423);
    t.clock.advance(1 * MINUTE);
    await expectSignedIn(await login(door, cashier.userId, cashier.pin));
    expect(t.store.audit.find({ action: "user.sign_in_failed" })).toHaveLength(7);
  });

  test("a right PIN in between starts the count again", async () => {
    const cashier = await signIn(t.store, 1);
    for (let i = 0; i < 4; i++) expectRefused(await login(door, cashier.userId, wrong(cashier.pin)), 401);
    await expectSignedIn(await login(door, cashier.userId, cashier.pin));
    t.clock.advance(2 * MINUTE);
    for (let i = 0; i < 4; i++) expectRefused(await login(door, cashier.userId, wrong(cashier.pin)), 401);
    await expectSignedIn(await login(door, cashier.userId, cashier.pin));
  });

  test("a manager unlocks the user at once; a cashier or supervisor may not", async () => {
    const cashier = await signIn(t.store, 1);
    for (let i = 0; i < 5; i++) await login(door, cashier.userId, wrong(cashier.pin));
    expectRefused(await login(door, cashier.userId, cashier.pin), 423);

    for (const role of ["cashier", "supervisor"] as const) {
      const who = await signIn(t.store, 2, { role });
      const res = await send(t, "POST", `/users/${cashier.userId}/unlock`, { browser: browserOf(who) });
      expect(res.status).toBe(403);
    }
    t.clock.advance(1 * MINUTE); // past the device's one-minute window; the lock has 14 minutes left
    expectRefused(await login(door, cashier.userId, cashier.pin), 423);

    const res = await send(t, "POST", `/users/${cashier.userId}/unlock`, { browser: browserOf(boss) });
    expect(res.status).toBe(200);
    await expectSignedIn(await login(door, cashier.userId, cashier.pin));
    expect(t.store.audit.find({ action: "user.unlocked" }).map((e) => [e.user, e.subject])).toEqual([["Maria", cashier.userName]]);
  });
});

describe("one device trying PINs", () => {
  /** Three users, wrong PINs 4 + 3 + 3: ten tries, nobody locked. */
  async function tenWrongTries(b: Browser) {
    const users = [await signIn(t.store, 1), await signIn(t.store, 2), await signIn(t.store, 3)];
    let n = 0;
    for (const [u, times] of [
      [users[0]!, 4],
      [users[1]!, 3],
      [users[2]!, 3],
    ] as const) {
      for (let i = 0; i < times; i++, n++) expectRefused(await login(b, u.userId, wrong(u.pin)), 401);
    }
    expect(n).toBe(10);
  }

  test("more than 10 tries a minute from a register are refused with 429, even the right PIN; other registers are not held up", async () => {
    await tenWrongTries(door);
    const cashier = await signIn(t.store, 4);
    expectRefused(await login(door, cashier.userId, cashier.pin), 429);
    expectRefused(await login(door, cashier.userId, cashier.pin), 429);
    // the cashier is not locked by the device's refusals
    expect(t.store.users.byId(cashier.userId)!.lockedUntil).toBeNull();

    const elsewhere: Browser = { ...browserOf(cashier), session: undefined };
    await expectSignedIn(await login(elsewhere, cashier.userId, cashier.pin));

    t.clock.advance(1 * MINUTE + 1000);
    await expectSignedIn(await login(door, cashier.userId, cashier.pin));
  });

  test("a browser that is no register is held to the same 10 a minute", async () => {
    const browser: Browser = { csrf: "unpaired-browser-token-0123456789" };
    await tenWrongTries(browser);
    const manager = await signIn(t.store, 5, { role: "manager", shift: false });
    expectRefused(await login(browser, manager.userId, manager.pin), 429);
  });

  test("a browser that is no register cannot escape the limit by sending a new CSRF cookie each time (real server)", async () => {
    const users = [await signIn(t.store, 1), await signIn(t.store, 2), await signIn(t.store, 3)];
    const manager = await signIn(t.store, 5, { role: "manager", shift: false });
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch });
    try {
      const attempt = (userId: number, pin: string) => {
        // each try looks like a brand-new browser: a fresh CSRF cookie and the matching header
        const csrf = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
        return fetch(`http://127.0.0.1:${server.port}/login`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: `sf_csrf=${csrf}`, "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ user_id: String(userId), pin }).toString(),
        });
      };
      const statuses: number[] = [];
      for (const [u, times] of [
        [users[0]!, 4],
        [users[1]!, 3],
        [users[2]!, 3],
      ] as const) {
        for (let i = 0; i < times; i++) statuses.push((await attempt(u.userId, wrong(u.pin))).status);
      }
      expect(statuses).toEqual(Array(10).fill(401));
      const eleventh = await attempt(manager.userId, manager.pin);
      expect(eleventh.status).toBe(429);
      expect(setCookie(eleventh, "sf_session")).toBeNull();
    } finally {
      await server.stop(true);
    }
  });
});

describe("manager PINs typed to approve or to pair", () => {
  test("are PIN tries too: after 10 wrong ones in a minute a register's approvals are refused with 429, even the right PIN", async () => {
    const cashier = browserOf(await signIn(t.store, 1));
    const before = state(t.store);
    for (let i = 0; i < 10; i++) {
      const res = await send(t, "POST", "/register/no-sale", { browser: cashier, form: { reason: "change", manager_pin: String(400000 + i) } });
      expect(res.status).toBe(403);
    }
    const res = await send(t, "POST", "/register/no-sale", { browser: cashier, form: { reason: "change", manager_pin: boss.pin } });
    expect(res.status).toBe(429);
    const after = state(t.store);
    expect({ cash_movements: after.cash_movements, print_jobs: after.print_jobs }).toEqual({
      cash_movements: before.cash_movements,
      print_jobs: before.print_jobs,
    });
  });

  test("are PIN tries too: after 10 wrong ones in a minute the pairing page refuses with 429 and pairs nothing", async () => {
    const browser: Browser = { csrf: "pairing-browser-token-0123456789" };
    for (let i = 0; i < 10; i++) {
      const res = await send(t, "POST", "/pair", { browser, form: { register: "Lane 5", manager_pin: String(400000 + i) } });
      expect(res.status).toBe(403);
    }
    const devices = state(t.store).devices;
    const res = await send(t, "POST", "/pair", { browser, form: { register: "Lane 5", manager_pin: boss.pin } });
    expect(res.status).toBe(429);
    expect(setCookie(res, "sf_device")).toBeNull();
    expect(state(t.store).devices).toBe(devices);
  });
});
