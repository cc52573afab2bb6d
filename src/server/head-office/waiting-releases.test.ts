// What the Devices page lists of the releases kept here: only those not applied whose time is still to come, soonest
// first, with their counts (store prices too, and none for a release without them); the first WAITING_LIST_LIMIT and
// how many in all. Real SQLite, rows as the catalog puller keeps them.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../db/open.ts";
import { WAITING_LIST_LIMIT, waitingReleases } from "./waiting-releases.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-waiting-"));
const db = openDatabase(join(dir, "store.db"));
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const keep = db.query("INSERT INTO catalog_release_log(version, effective_at, changes, received_at, applied_at) VALUES (?, ?, ?, ?, ?)");
const now = new Date("2026-11-25T10:00:00.000Z");
const product = (sku: string) => ({ sku, barcode: null, name: sku, price: 100, tax_class: "STD", category: null, weighed: false, active: true });

test("soonest first, with what each changes; applied ones and those already due are left out", () => {
  expect(waitingReleases(db)(now)).toEqual({ rows: [], total: 0 });
  keep.run(1, "2026-11-20T00:00:00.000Z", JSON.stringify({ tax_classes: [], products: [product("A")] }), "", "2026-11-20T00:00:00.000Z");
  keep.run(2, "2026-11-25T09:00:00.000Z", JSON.stringify({ tax_classes: [], products: [product("A")] }), "", null);
  keep.run(3, "2026-12-01T06:00:00.000Z", JSON.stringify({ tax_classes: [{ code: "STD", name: "Standard", rate_bp: 2000 }], products: [] }), "", null);
  const prices = [
    { sku: "A", price: 90 },
    { sku: "B", price: null },
  ];
  keep.run(4, "2026-11-28T06:00:00.000Z", JSON.stringify({ tax_classes: [], products: [product("A"), product("B")], store_prices: prices }), "", null);
  expect(waitingReleases(db)(now)).toEqual({
    rows: [
      { version: 4, effectiveAt: "2026-11-28T06:00:00.000Z", products: 2, taxClasses: 0, storePrices: 2 },
      { version: 3, effectiveAt: "2026-12-01T06:00:00.000Z", products: 0, taxClasses: 1, storePrices: 0 },
    ],
    total: 2,
  });
});

test("past the list's limit, the rest are counted", () => {
  const empty = JSON.stringify({ tax_classes: [], products: [] });
  for (let v = 10; v < 10 + WAITING_LIST_LIMIT + 3; v++) keep.run(v, `2027-01-01T00:00:${String(v % 60).padStart(2, "0")}.000Z`, empty, "", null);
  const w = waitingReleases(db)(now);
  expect(w.rows.length).toBe(WAITING_LIST_LIMIT);
  expect(w.total).toBe(WAITING_LIST_LIMIT + 3 + 2);
});
