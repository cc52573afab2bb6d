// The register's read-only fragments answer a refusal the register's way: the sentence in the message line, a beep.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../../../tests/helpers/store.ts";

let t: TestStore;
let lane: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  lane = await signIn(t.store, 2);
});
afterEach(() => t.close());

test("asking to take cash for an empty sale says to scan first, in the message line, and changes nothing", async () => {
  const res = await t.app.request("/register/dialog/cash", { headers: { ...lane.headers, "HX-Request": "true" } });
  expect(res.status).toBe(422);
  expect(res.headers.get("HX-Retarget")).toBe("#message");
  expect(JSON.parse(res.headers.get("HX-Trigger")!)).toEqual({ "till-error": { code: "empty_sale" } });
  expect(await res.text()).toContain("Scan an item before taking payment.");
  expect(t.store.till.current(lane.registerId)).toBeNull();
});

test("the search finds products by name and answers with their rows", async () => {
  const res = await t.app.request("/register/search?q=milk", { headers: { ...lane.headers, "HX-Request": "true" } });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("Fresh Milk 1 L");
});
