// Setting the store's details from the command line, and seeing them on the receipt.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop } from "../../src/server/compose.ts";
import { codes, seedSmallCatalog, signIn } from "../helpers/store.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("store name, address, tax id and footer set by command end up on the receipt; bad values are refused", async () => {
  expect(await runCli(["settings", "set", "store_name", "Corner Shop Müller", "--data", dir])).toBe(0);
  expect(await runCli(["settings", "set", "store_address", "Hauptstraße 1\\n10115 Berlin", "--data", dir])).toBe(0);
  expect(await runCli(["settings", "set", "tax_id", "DE123456789", "--data", dir])).toBe(0);
  expect(await runCli(["settings", "set", "receipt_footer", "Danke!", "--data", dir])).toBe(0);
  expect(await runCli(["settings", "set", "currency", "euro", "--data", dir])).toBe(2);
  expect(await runCli(["settings", "set", "colour", "red", "--data", dir])).toBe(2);
  expect(await runCli(["settings", "set", "time_zone", "Mars/Olympus", "--data", dir])).toBe(2);

  const store = openShop({ dataDir: dir });
  try {
    seedSmallCatalog(store);
    const s = store.settings();
    expect([s.storeName, s.storeAddress, s.taxId, s.receiptFooter, s.currency]).toEqual([
      "Corner Shop Müller",
      ["Hauptstraße 1", "10115 Berlin"],
      "DE123456789",
      ["Danke!"],
      "EUR",
    ]);
    const lane = await signIn(store, 1);
    store.till.scan(lane.registerId, codes.milk);
    const done = store.till.pay(lane.registerId, { method: "cash", amount: 200 }, lane.userId).completed!;
    const doc = store.printing.receiptPayload(done).doc;
    expect(doc.store).toEqual({ name: "Corner Shop Müller", address: ["Hauptstraße 1", "10115 Berlin"], taxId: "DE123456789", header: [], footer: ["Danke!"] });
  } finally {
    store.close();
  }
});
