// The first-run page makes whoever uses it the store's admin, so it exists only until the store has one.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeTestStore, type TestStore } from "../helpers/store.ts";
import { type Browser, errorCode, send, setCookie, state } from "./support.ts";

let t: TestStore;
const browser: Browser = { csrf: "first-run-browser-token-0123456789" };
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const admins = () => t.store.db.query<{ name: string; disabled: number }, []>("SELECT name, disabled FROM users WHERE role = 'admin' ORDER BY id").all();

async function createAdmin(name: string, pin: string) {
  const res = await send(t, "POST", "/setup", { browser, form: { name, pin } });
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toBe("/pair");
}

describe("/setup", () => {
  test("is there while the store has no admin, and every other page sends you to it", async () => {
    const page = await send(t, "GET", "/setup");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="_csrf"');
    for (const path of ["/login", "/pair"]) {
      const res = await send(t, "GET", path);
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/setup");
    }
  });

  test("needs the CSRF token like any other form", async () => {
    const before = state(t.store);
    const res = await send(t, "POST", "/setup", { browser, form: { name: "Ada", pin: "4321" }, token: null });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("csrf_failed");
    expect(state(t.store)).toEqual(before);
  });

  test("once an admin exists: GET redirects to /login, POST is refused with 409 and adds nobody", async () => {
    await createAdmin("Ada", "4321");
    expect(admins()).toEqual([{ name: "Ada", disabled: 0 }]);

    const page = await send(t, "GET", "/setup");
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/login");

    const before = state(t.store);
    const again = await send(t, "POST", "/setup", { browser, form: { name: "Mallory", pin: "98765432" } });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("setup_done");
    expect(setCookie(again, "sf_session")).toBeNull();
    expect(state(t.store)).toEqual(before);
    expect(admins()).toEqual([{ name: "Ada", disabled: 0 }]);
  });

  test("stays closed for good: disabling the only admin does not hand the store to whoever opens /setup next", async () => {
    await createAdmin("Ada", "4321");
    const ada = t.store.users.byName("Ada")!;
    // Ada signs in on a back-office browser and disables herself; refusing that would be one way to keep the store safe
    const session = t.store.sessions.start(ada.id, null, t.clock.now().toISOString());
    await send(t, "POST", `/users/${ada.id}/disable`, { browser: { ...browser, session: session.cookie } });

    const page = await send(t, "GET", "/setup");
    expect(page.status).not.toBe(200);
    const res = await send(t, "POST", "/setup", { browser, form: { name: "Mallory", pin: "98765432" } });
    expect(res.status).toBe(409);
    expect(t.store.users.byName("Mallory")).toBeNull();
  });
});
