// A person at head office in a real browser: finds a store's product on the Stock page, then watches low stock across the
// chain and sees a product appear there by itself when its store's batch arrives — the page's /events stream (htmx's SSE
// extension) under the strict CSP, with no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { contentHash, outboxRef, type StockMovementsPayload } from "../../src/sync/contracts.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type HqInBrowser, startHqInBrowser } from "./hq-browser-support.ts";
import type { Hq } from "./hq-support.ts";
import { batch } from "./support.ts";

let at: HqInBrowser;
let hq: Hq;
let storeId: string;
let seq = 0;

const milk = { sku: "MILK-1L", name: "Fresh Milk 1 L", reorder_point_milli: 10_000 };
const eggs = { sku: "EGGS-10", name: "Free-range Eggs 10", reorder_point_milli: 5000 };

/** The store's next stock item: one movement of `product`, bringing it to `onHand` (thousandths). */
async function arrives(product: typeof milk, onHand: number): Promise<void> {
  seq++;
  const doc: StockMovementsPayload = {
    products: [product],
    movements: [{ at: "2026-11-25T10:00:00.000Z", id: seq, sku: product.sku, reason: "sale", qty_milli: -1000, on_hand_milli: onHand }],
  };
  const payload = JSON.stringify(doc);
  const item = { seq, kind: "stock_movements", ref: outboxRef.stock_movements(doc), hash: contentHash(payload), payload };
  expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item]))).status).toBe(200);
}

beforeAll(async () => {
  at = await startHqInBrowser({
    person: { name: "Vera", role: "viewer" },
    setup: async (started) => {
      hq = started;
      storeId = (await addStore(hq.sql, "Harbour Street")).storeId;
      await arrives(milk, 30_000);
      await arrives(eggs, 20_000);
    },
    // idleTimeout as `shopflow hq` has it; the /events stream asks the server for none of its own
    idleTimeout: 120,
  });
}, 60_000);

afterAll(() => at?.close());

test("the Stock page shows a store's product, and low stock across the chain follows a batch as it arrives", async () => {
  const { url } = at;
  const { context, page, problems } = await at.open();
  try {
    await at.signIn(page, "/stock");
    const row = page.locator(`tr[data-sku="EGGS-10"][data-store="${storeId}"]`);
    expect(await row.innerText()).toContain("Harbour Street");
    expect(await row.getByTestId("on-hand").innerText()).toBe("20");
    // searching as she types narrows the list in place
    await page.getByTestId("stock-search").pressSequentially("milk");
    await row.waitFor({ state: "detached" });
    expect(await page.locator('tr[data-sku="MILK-1L"]').isVisible()).toBe(true);

    // the low-stock page opens its stream; the list is read again as it connects
    const streaming = page.waitForResponse((r) => new URL(r.url()).pathname === "/events");
    await page.getByRole("link", { name: "Low stock", exact: true }).click();
    await page.waitForURL(`${url}/stock/low`);
    const events = await streaming;
    expect(events.headers()["content-type"]).toBe("text/event-stream");
    expect(await page.getByTestId("low-stock-empty").isVisible()).toBe(true);

    // the store's batch takes the eggs to their reorder point: the row appears without a reload
    await arrives(eggs, 5000);
    const low = page.locator(`tr[data-testid="low-stock-row"][data-sku="EGGS-10"]`);
    await low.waitFor({ timeout: 10_000 });
    expect(await low.innerText()).toContain("Harbour Street");
    expect(await low.getByTestId("on-hand").innerText()).toBe("5");
    // and goes when they are back above it
    await arrives(eggs, 12_000);
    await low.waitFor({ state: "detached", timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe("/stock/low");
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);
