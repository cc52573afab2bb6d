// What the register e2e tests share: opening a lane as a signed-in cashier would, scanning, waiting for what the
// screen shows, reading the store database, and a server that can be stopped and started again over the same data.

import { afterAll, afterEach, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { createApp } from "../../src/server/app.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { launchBrowser, startTestServer, type TestServer, watchPage } from "../helpers/browser.ts";
import { type SignedIn, seedSmallCatalog, signIn, TestClock } from "../helpers/store.ts";

export const desktop = { width: 1366, height: 768 };
export const tablet = { width: 1024, height: 768 };

/** The one console message an unknown barcode is allowed to leave: Chromium logging the deliberate 422. */
export const expected422 = /Failed to load resource: the server responded with a status of 422/;
/** What a refusal for a conflict (more returned than is left, say) leaves in the console: the deliberate 409. */
export const expected409 = /Failed to load resource: the server responded with a status of 409/;
/** What a restricted action refused for want of a manager's approval leaves in the console: the deliberate 403. */
export const expected403 = /Failed to load resource: the server responded with a status of 403/;

export type Till = { context: BrowserContext; page: Page; problems: () => string[]; cashier: SignedIn };

/** The three cookies a paired, signed-in register browser holds, as Playwright takes them. */
export function registerCookies(url: string, who: SignedIn) {
  return who.cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url, httpOnly: true, sameSite: "Strict" as const };
  });
}

/** A fresh browser profile holding the device, session and CSRF cookies of `who`. */
export async function signedInContext(browser: Browser, url: string, who: SignedIn, viewport = desktop): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addCookies(registerCookies(url, who));
  return context;
}

/**
 * A fresh browser profile at the register of lane `lane`, as the shop runs it: the browser is paired as "Lane N", a new
 * cashier (or `role`) is signed in on it and the lane has an open shift (100.00 float).
 */
export async function openTill(
  browser: Browser,
  url: string,
  store: Shop,
  lane: number,
  options: { viewport?: { width: number; height: number }; allow?: RegExp[]; role?: "cashier" | "supervisor" | "manager" | "admin" } = {},
): Promise<Till> {
  const cashier = await signIn(store, lane, { role: options.role ?? "cashier" });
  const context = await signedInContext(browser, url, cashier, options.viewport ?? desktop);
  const page = await context.newPage();
  const problems = watchPage(page, { allow: options.allow ?? [] });
  const res = await page.goto(`${url}/`);
  if (res?.status() !== 200 || new URL(page.url()).pathname !== "/") throw new Error(`the register answered ${res?.status()} at ${page.url()}`);
  await waitForRegister(page);
  return { context, page, problems, cashier };
}

/** The store's manager, made the first time a test needs one: the PIN a cashier's restricted action waits for. */
export const manager = { name: "Morgan Manager", pin: "97531" } as const;

export async function ensureManager(store: Shop): Promise<typeof manager> {
  if (!store.users.byName(manager.name)) await store.users.add(manager.name, "manager", manager.pin, store.clock.now().toISOString());
  return manager;
}

/** A manager approves in `scope` (a dialog or form): chosen by name, their PIN typed beside. */
export async function approveAs(scope: Locator, who: { name: string; pin: string }): Promise<void> {
  await scope.getByTestId("approver").selectOption({ label: who.name });
  await scope.getByTestId("manager-pin").fill(who.pin);
}

/** The audit log's rows for an action, oldest first, as the back office lists them. */
export function auditOf(store: Shop, action: string) {
  return store.audit
    .find({ action, limit: 100 })
    .filter((r) => r.action === action)
    .reverse();
}

/** The register script is wired once Alpine has started it: the scan field has the focus. */
export async function waitForRegister(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === "barcode" && typeof (window as unknown as { htmx?: unknown }).htmx === "object", null, {
    timeout: 10_000,
  });
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
export const texts = (page: Page, testid: string) =>
  page
    .getByTestId(testid)
    .allInnerTexts()
    .then((a) => a.map((s) => s.trim()));
export const textOf = (page: Page, testid: string) =>
  page
    .getByTestId(testid)
    .innerText()
    .then((s) => s.trim());
export const itemNames = (page: Page) => page.locator("[data-testid=item-row] .item-name").allInnerTexts();
export const messageText = (page: Page) =>
  page
    .locator("#message")
    .innerText()
    .then((s) => s.trim());

/** What the open dialog says about the last thing asked in it (a refusal), or "" when it says nothing. */
export const dialogMessage = (page: Page) =>
  page.evaluate(() => {
    const slot = document.querySelector<HTMLElement>("#dialog [data-testid=dialog-message]");
    return slot && !slot.hidden ? (slot.textContent ?? "").trim() : "";
  });

/** The data-testid (or tag) of what has the keyboard focus. */
export const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);

/** The lines as a cashier reads them: name, quantity, line total. */
export async function lines(page: Page): Promise<[string, string, string][]> {
  return page
    .getByTestId("item-row")
    .evaluateAll((rows) =>
      rows.map(
        (r) =>
          [
            r.querySelector(".item-name")?.textContent?.trim() ?? "",
            r.querySelector("[data-testid=item-qty]")?.textContent?.trim() ?? "",
            r.querySelector("[data-testid=item-total]")?.textContent?.trim() ?? "",
          ] as [string, string, string],
      ),
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

/**
 * Scan and wait until the register shows `rowsAfter` rows. The wait is on the row itself, with room for a machine busy
 * with the rest of the suite (a server started from source compiles its routes on the first scan).
 */
export async function scanAndWait(page: Page, code: string, rowsAfter: number): Promise<void> {
  await scan(page, code);
  await eventually(() => rowCount(page), rowsAfter, `rows after scanning ${code}`, 15_000);
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

export function salesIn(store: Shop): SaleRow[] {
  return store.db.query<SaleRow, []>("SELECT id, status, total, paid, change_due, register_id, receipt_number FROM sales ORDER BY opened_at, id").all();
}

export function stockOf(store: Shop, sku: string): number {
  return store.db.query<{ stock_milli: number }, [string]>("SELECT stock_milli FROM products WHERE sku = ?").get(sku)!.stock_milli;
}

export function registerIdOf(store: Shop, lane: number): number {
  return store.db.query<{ id: number }, [string]>("SELECT id FROM registers WHERE name = ?").get(`Lane ${lane}`)!.id;
}

/**
 * A store server that can go away and come back on the same port over the same data directory: what a restart of
 * `shopflow serve` looks like to the browsers on the LAN. `startTestServer` removes its data on stop, so this lives here.
 */
export type RestartableServer = { url: string; store: () => Shop; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> };

export async function startRestartableServer(): Promise<RestartableServer> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-e2e-"));
  const clock = new TestClock();
  let store = openShop({ dataDir: dir, clock });
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
      store = openShop({ dataDir: dir, clock });
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

/**
 * One browser and one in-process store for a test file, lanes opened per test and closed after it: the hooks every
 * register test file needs. `server` and `browser` are there once beforeAll has run.
 */
export function registerSuite() {
  let server: TestServer;
  let browser: Browser;
  const opened: Till[] = [];
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    db: () => server.store.store,
    async till(lane: number, options: Parameters<typeof openTill>[4] = {}): Promise<Till> {
      const t = await openTill(browser, server.url, server.store.store, lane, options);
      opened.push(t);
      return t;
    },
  };
}
