// The Users page offers each role only what it may do: an admin adds and disables users, a manager unlocks them.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { makeTestStore, signIn, type TestStore } from "../../../tests/helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

async function usersPage(role: "manager" | "admin"): Promise<string> {
  const who = await signIn(t.store, 1, { role, shift: false });
  const res = await t.app.request("/users", { headers: who.headers });
  expect(res.status).toBe(200);
  return res.text();
}

test("a manager sees the users without buttons that would only be refused: no Disable, no Add user", async () => {
  const html = await usersPage("manager");
  expect(html).toContain('data-testid="user-row"');
  expect(html).not.toContain("/disable");
  expect(html).not.toContain('action="/users"');
  expect(html).toContain("An admin adds and disables users.");
});

test("an admin sees Disable on each active user and the form to add one", async () => {
  const html = await usersPage("admin");
  expect(html).toContain("/disable");
  expect(html).toContain('action="/users"');
  expect(html).not.toContain("An admin adds and disables users.");
});
