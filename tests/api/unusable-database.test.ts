// A database that failed its integrity check refuses every change: sales are answered with a clear 503, nothing is
// half-written, and /healthz says the store cannot sell.
import { afterEach, expect, test } from "bun:test";
import { codes, footprint, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
afterEach(() => t?.close());

test("a store whose database refuses changes answers 503 database_unusable and writes nothing", async () => {
  t = makeTestStore();
  const before = footprint(t.store);
  // what the integrity check does when it finds damage (src/server/db/open.ts)
  t.store.db.exec("PRAGMA query_only = ON");
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 200 }] } });
  expect(res.status).toBe(503);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("database_unusable");
  expect(body.error.message).toContain("restore the last backup");
  expect(footprint(t.store)).toEqual(before);
  // reads still work: the manager can look up what was sold
  expect((await t.api("/api/v1/summary")).status).toBe(200);
  t.store.db.exec("PRAGMA query_only = OFF");
});
