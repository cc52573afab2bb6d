// 16 clients posting sales at once through one server: no lost stock update, no duplicate or missing receipt number.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../../src/server/api/tokens.ts";
import { openShop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { sourceCommand, startServer } from "../helpers/server.ts";
import { codes, seedSmallCatalog } from "../helpers/store.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-conc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("16 clients, one register and two shared products: stock and receipt numbers come out exact", async () => {
  const setup = openShop({ dataDir: dir });
  seedSmallCatalog(setup);
  writeSetting(setup.db, "negative_stock", "allow");
  const shared = createToken(setup.db, "Kiosk", "2026-11-25T08:00:00Z");
  const own = Array.from({ length: 8 }, (_, i) => createToken(setup.db, `lane-${i}`, "2026-11-25T08:00:00Z").token);
  const milkBefore = setup.catalog.bySku("MILK-1L")!.stockMilli;
  const breadBefore = setup.catalog.bySku("BREAD-SOUR")!.stockMilli;
  setup.close();

  const server = await startServer(sourceCommand, ["--data", dir]);
  const perClient = 25;
  const numbers: string[][] = Array.from({ length: 16 }, () => []);
  try {
    await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        // half the clients share one register (one receipt sequence), half have their own
        const token = c < 8 ? shared.token : own[c - 8]!;
        for (let i = 0; i < perClient; i++) {
          const res = await fetch(`${server.url}/api/v1/sales`, {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({ lines: [{ barcode: codes.milk, qty: 2 }, { barcode: codes.bread }], payments: [{ method: "cash", amount: 1000 }] }),
          });
          expect(res.status).toBe(201);
          numbers[c]!.push((await res.json()).receipt_number);
        }
      }),
    );
  } finally {
    await server.stop();
  }
  const sharedNumbers = numbers.slice(0, 8).flat();
  const registerPrefix = String(shared.registerId).padStart(3, "0");
  expect(new Set(sharedNumbers).size).toBe(8 * perClient);
  expect(sharedNumbers.map((n) => Number(n.split("-")[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 * perClient }, (_, i) => i + 1));
  expect(sharedNumbers.every((n) => n.startsWith(`${registerPrefix}-`))).toBe(true);
  for (const lane of numbers.slice(8)) expect(lane.map((n) => Number(n.split("-")[1]))).toEqual(Array.from({ length: perClient }, (_, i) => i + 1));

  const after = openShop({ dataDir: dir });
  try {
    const sales = 16 * perClient;
    expect(after.catalog.bySku("MILK-1L")!.stockMilli).toBe(milkBefore - sales * 2000);
    expect(after.catalog.bySku("BREAD-SOUR")!.stockMilli).toBe(breadBefore - sales * 1000);
    expect(after.reports.summary({ kind: "date", from: null, to: null })).toMatchObject({ sales_count: sales, total_minor: sales * 587 });
  } finally {
    after.close();
  }
});
