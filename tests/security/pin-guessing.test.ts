// Guessing a manager's PIN: approvals and pairing name the manager, so every wrong PIN counts against that manager and
// five lock them; pairing is limited for the whole store, whatever address the guesses come from; the lock counter
// cannot be raced; PINs need not be unique, so adding a user tells nobody whose PIN is whose.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, errorCode, MINUTE, send, setCookie, state } from "./support.ts";

let t: TestStore;
let boss: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  boss = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
});
afterEach(() => t.close());

const wrong = (pin: string) => (pin === "000000" ? "000001" : "000000");
const noSale = (b: Browser, form: Record<string, string>) => send(t, "POST", "/register/no-sale", { browser: b, form: { reason: "change", ...form } });
const pair = (b: Browser, form: Record<string, string>) => send(t, "POST", "/pair", { browser: b, form: { register: "Rogue", ...form } });

describe("approving names the manager, and wrong PINs count against that manager", () => {
  test("five wrong approval PINs lock the manager: the right PIN then approves nothing, and the manager cannot sign in either", async () => {
    const cashier = browserOf(await signIn(t.store, 1));
    const before = state(t.store);
    for (let i = 0; i < 4; i++) {
      const res = await noSale(cashier, { approver: String(boss.userId), manager_pin: String(400000 + i) });
      expect(res.status).toBe(403);
    }
    const fifth = await noSale(cashier, { approver: String(boss.userId), manager_pin: "400004" });
    expect(fifth.status).toBe(423);
    expect(await errorCode(fifth)).toBe("user_locked");
    const right = await noSale(cashier, { approver: String(boss.userId), manager_pin: boss.pin });
    expect(right.status).toBe(423);
    expect(state(t.store).cash_movements).toBe(before.cash_movements);
    expect(state(t.store).print_jobs).toBe(before.print_jobs);

    const door: Browser = { ...browserOf(boss), session: undefined };
    const login = await send(t, "POST", "/login", { browser: door, form: { user_id: String(boss.userId), pin: boss.pin } });
    expect(login.status).toBe(423);
    expect(setCookie(login, "sf_session")).toBeNull();

    t.clock.advance(15 * MINUTE);
    expect((await noSale(cashier, { approver: String(boss.userId), manager_pin: boss.pin })).status).toBe(200);
  });

  test("a PIN with no manager named approves nothing, even the right one, and a cashier named as approver approves nothing", async () => {
    const clerk = await signIn(t.store, 1);
    const cashier = browserOf(clerk);
    expect((await noSale(cashier, { manager_pin: boss.pin })).status).toBe(403);
    expect((await noSale(cashier, { approver: String(clerk.userId), manager_pin: clerk.pin })).status).toBe(403);
    expect(state(t.store).cash_movements).toBe(0);
  });

  test("a stranger guessing away from the registers locks a manager out of pairing and the back office only, never the till", async () => {
    const stranger: Browser = { csrf: "stranger-browser-token-0123456789" };
    for (let i = 0; i < 5; i++) await pair(stranger, { manager: String(boss.userId), manager_pin: String(500000 + i) });
    // away from the registers, the manager is locked: pairing and back-office sign-in
    expect((await pair(stranger, { manager: String(boss.userId), manager_pin: boss.pin })).status).toBe(423);
    const backOffice: Browser = { csrf: "back-office-browser-token-0123456789" };
    expect((await send(t, "POST", "/login", { browser: backOffice, form: { user_id: String(boss.userId), pin: boss.pin } })).status).toBe(423);
    // at a register, the manager still approves and signs in
    const cashier = browserOf(await signIn(t.store, 1));
    expect((await noSale(cashier, { approver: String(boss.userId), manager_pin: boss.pin })).status).toBe(200);
    const door: Browser = { ...browserOf(boss), session: undefined };
    expect((await send(t, "POST", "/login", { browser: door, form: { user_id: String(boss.userId), pin: boss.pin } })).status).toBe(303);
    // and every failed pairing is on record
    expect(t.store.audit.find({ action: "device.pair_failed" })).toHaveLength(6);
  });

  test("a wrong approval PIN is on record: who asked, for what, naming whom", async () => {
    const clerk = await signIn(t.store, 1);
    await noSale(browserOf(clerk), { approver: String(boss.userId), manager_pin: wrong(boss.pin) });
    expect(t.store.audit.find({ action: "approval.refused" }).map((r) => [r.user, r.subject, JSON.parse(r.detail)])).toEqual([
      [clerk.userName, "Opening the drawer without a sale", { approver: "Maria", code: "approval_needed" }],
    ]);
  });
});

describe("pairing a register", () => {
  test("five wrong PINs for a manager lock that manager: the right PIN then pairs nothing", async () => {
    const stranger: Browser = { csrf: "stranger-browser-token-0123456789" };
    const devices = state(t.store).devices;
    for (let i = 0; i < 5; i++) {
      const res = await pair(stranger, { manager: String(boss.userId), manager_pin: String(500000 + i) });
      expect(res.status).toBe(i < 4 ? 403 : 423);
    }
    const right = await pair(stranger, { manager: String(boss.userId), manager_pin: boss.pin });
    expect(right.status).toBe(423);
    expect(setCookie(right, "sf_device")).toBeNull();
    expect(state(t.store).devices).toBe(devices);
  });

  test("the whole store takes at most 10 pairing attempts in ten minutes, however slowly each address tries", async () => {
    const managers = [boss, await signIn(t.store, 8, { role: "manager", shift: false }), await signIn(t.store, 7, { role: "manager", shift: false })];
    const stranger: Browser = { csrf: "stranger-browser-token-0123456789" };
    // 10 wrong guesses spread over 3 managers (never 5 for one) and over several minutes: no address goes over 10 a minute
    for (let i = 0; i < 10; i++) {
      const m = managers[i % 3]!;
      expect((await pair(stranger, { manager: String(m.userId), manager_pin: wrong(m.pin) })).status).toBe(403);
      if (i % 3 === 2) t.clock.advance(2 * MINUTE);
    }
    const devices = state(t.store).devices;
    const res = await pair(stranger, { manager: String(boss.userId), manager_pin: boss.pin });
    expect(res.status).toBe(429);
    expect(await res.text()).toContain("Too many attempts to pair a register");
    expect(state(t.store).devices).toBe(devices);
    t.clock.advance(10 * MINUTE);
    expect((await pair(stranger, { manager: String(boss.userId), manager_pin: boss.pin })).status).toBe(303);
  });
});

describe("the lock cannot be raced", () => {
  test("ten wrong PINs sent at once lock the user, and the right PIN is then refused", async () => {
    const cashier = await signIn(t.store, 1);
    const door: Browser = { ...browserOf(cashier), session: undefined };
    const at = (pin: string) => send(t, "POST", "/login", { browser: door, form: { user_id: String(cashier.userId), pin } });
    const answers = await Promise.all(Array.from({ length: 10 }, () => at(wrong(cashier.pin))));
    expect(answers.filter((r) => r.status === 423).length).toBeGreaterThan(0);
    expect(t.store.users.byId(cashier.userId)!.lockedUntil).not.toBeNull();
    const otherRegister: Browser = { ...browserOf(await signIn(t.store, 2)), session: undefined };
    const right = await send(t, "POST", "/login", { browser: otherRegister, form: { user_id: String(cashier.userId), pin: cashier.pin } });
    expect(right.status).toBe(423);
  });

  test("ten wrong approval PINs sent at once lock the manager", async () => {
    const cashier = browserOf(await signIn(t.store, 1));
    await Promise.all(Array.from({ length: 10 }, (_, i) => noSale(cashier, { approver: String(boss.userId), manager_pin: String(600000 + i) })));
    expect(t.store.users.byId(boss.userId)!.lockedUntil).not.toBeNull();
    const other = browserOf(await signIn(t.store, 2));
    expect((await noSale(other, { approver: String(boss.userId), manager_pin: boss.pin })).status).toBe(423);
  });
});

describe("PINs need not be unique", () => {
  test("an admin adds a user with a PIN someone already has: added, and nothing says whose it was", async () => {
    const admin = browserOf(await signIn(t.store, 3, { role: "admin", shift: false }));
    const res = await send(t, "POST", "/users", { browser: admin, form: { name: "Nina", role: "cashier", pin: boss.pin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Nina added as cashier");
    expect(html).not.toContain("already uses");
    const nina = t.store.users.byName("Nina")!;
    // each signs in as themselves with the same PIN
    const door: Browser = { ...browserOf(boss), session: undefined };
    expect((await send(t, "POST", "/login", { browser: door, form: { user_id: String(nina.id), pin: boss.pin } })).status).toBe(303);
    expect((await send(t, "POST", "/login", { browser: door, form: { user_id: String(boss.userId), pin: boss.pin } })).status).toBe(303);
  });
});
