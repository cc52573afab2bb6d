// What the register e2e tests share: opening a lane as a cashier would, scanning, waiting for what the screen shows,
// reading the store database, and a server that can be stopped and started again over the same data.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createApp } from "../../src/server/app.ts";
import { openStore, type Store } from "../../src/server/compose.ts";
import { watchPage } from "../helpers/browser.ts";
import { seedSmallCatalog, TestClock } from "../helpers/store.ts";

export const desktop = { width: 1366, height: 768 };
export const tablet = { width: 1024, height: 768 };

/** The one console message an unknown barcode is allowed to leave: Chromium logging the deliberate 422. */
export const expected422 = /Failed to load resource: the server responded with a status of 422/;

export type Till = { context: BrowserContext; page: Page; problems: () => string[] };

/** A fresh browser profile (its own register cookie) at the register of lane `lane`. */
export async function openTill(browser: Browser, url: string, lane: number, options: { viewport?: { width: number; height: number }; allow?: RegExp[] } = {}): Promise<Till> {
  const context = await browser.newContext({ viewport: options.viewport ?? desktop });
  const page = await context.newPage();
  const problems = watchPage(page, { allow: options.allow ?? [] });
  const res = await page.goto(`${url}/?lane=${lane}`);
  if (res?.status() !== 200) throw new Error(`the register answered ${res?.status()}`);
  await waitForRegister(page);
  return { context, page, problems };
}

/** The register script is wired once Alpine has started it: the scan field has the focus. */
export async function waitForRegister(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === "barcode" && typeof (window as unknown as { htmx?: unknown }).htmx === "object", null, { timeout: 10_000 });
}

/** Poll until `read()` equals `want` (deep), or fail saying what the screen showed last. */
export async function eventually<T>(read: () => Promise<T> | T, want: T, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown = null;
  for (;;) {
    try {
      last = await read();
      error = null;
      if (Bun.deepEquals(last, want)) return last;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = error ? `error ${(error as Error).message}` : JSON.stringify(last);
      throw new Error(`${what}: expected ${JSON.stringify(want)}, saw ${seen}`);
    }
    await Bun.sleep(40);
  }
}

export const rowCount = (page: Page) => page.getByTestId("item-row").count();
export const texts = (page: Page, testid: string) => page.getByTestId(testid).allInnerTexts().then((a) => a.map((s) => s.trim()));
export const textOf = (page: Page, testid: string) => page.getByTestId(testid).innerText().then((s) => s.trim());
export const itemNames = (page: Page) => page.locator("[data-testid=item-row] .item-name").allInnerTexts();
export const messageText = (page: Page) => page.locator("#message").innerText().then((s) => s.trim());

/** The lines as a cashier reads them: name, quantity, line total. */
export async function lines(page: Page): Promise<[string, string, string][]> {
  return page.getByTestId("item-row").evaluateAll((rows) =>
    rows.map((r) => [
      r.querySelector(".item-name")?.textContent?.trim() ?? "",
      r.querySelector("[data-testid=item-qty]")?.textContent?.trim() ?? "",
      r.querySelector("[data-testid=item-total]")?.textContent?.trim() ?? "",
    ] as [string, string, string]),
  );
}

/**
 * Type a code into the scan field the way a keyboard-wedge scanner does: the digits and Enter back to back, real key
 * events (not `fill`), so the page's own key handling runs.
 */
export async function scan(page: Page, code: string): Promise<void> {
  const field = page.getByTestId("barcode-input");
  if (!(await field.evaluate((el) => el === document.activeElement))) await field.focus();
  await Promise.all([...code, "Enter"].map((key) => page.keyboard.press(key)));
}

/** Scan and wait until the register shows `rowsAfter` rows. */
export async function scanAndWait(page: Page, code: string, rowsAfter: number): Promise<void> {
  await scan(page, code);
  await eventually(() => rowCount(page), rowsAfter, `rows after scanning ${code}`);
}

/** The dialog is open and showing its content (htmx swapped it in and register.js opened it). */
export async function dialogOpen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const d = document.getElementById("dialog") as HTMLDialogElement | null;
    return !!d && d.open && (document.getElementById("dialog-body")?.childElementCount ?? 0) > 0;
  });
}

/** The dialog is shut and its close handler has run (it empties the dialog body and puts the focus back). */
export async function dialogClosed(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const d = document.getElementById("dialog") as HTMLDialogElement | null;
    return !!d && !d.open && (document.getElementById("dialog-body")?.childElementCount ?? 0) === 0;
  });
}

export type SaleRow = { id: string; status: string; total: number; paid: number; change_due: number; register_id: number; receipt_number: string | null };

export function salesIn(store: Store): SaleRow[] {
  return store.db.query<SaleRow, []>("SELECT id, status, total, paid, change_due, register_id, receipt_number FROM sales ORDER BY opened_at, id").all();
}

export function stockOf(store: Store, sku: string): number {
  return store.db.query<{ stock_milli: number }, [string]>("SELECT stock_milli FROM products WHERE sku = ?").get(sku)!.stock_milli;
}

export function registerIdOf(store: Store, lane: number): number {
  return store.db.query<{ id: number }, [string]>("SELECT id FROM registers WHERE name = ?").get(`Lane ${lane}`)!.id;
}

/**
 * A store server that can go away and come back on the same port over the same data directory: what a restart of
 * `shopflow serve` looks like to the browsers on the LAN. `startTestServer` removes its data on stop, so this lives here.
 */
export type RestartableServer = { url: string; store: () => Store; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> };

export async function startRestartableServer(): Promise<RestartableServer> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-e2e-"));
  const clock = new TestClock();
  let store = openStore({ dataDir: dir, clock });
  seedSmallCatalog(store);
  let server: ReturnType<typeof Bun.serve> | null = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createApp(store).fetch, idleTimeout: 60 });
  const port = server.port;
  let open = true;
  return {
    url: `http://127.0.0.1:${port}`,
    store: () => store,
    async down() {
      if (!server) return;
      await server.stop(true);
      server = null;
      store.close();
      open = false;
    },
    async up() {
      if (server) return;
      store = openStore({ dataDir: dir, clock });
      open = true;
      server = Bun.serve({ hostname: "127.0.0.1", port, fetch: createApp(store).fetch, idleTimeout: 60 });
    },
    async close() {
      if (server) await server.stop(true);
      server = null;
      if (open) store.close();
      open = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
