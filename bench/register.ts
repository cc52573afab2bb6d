// The register in Chromium: Enter on a scan to the new row on screen, and page load to a scan field ready for a scan,
// on the bench store and on a 1,000,000-product store. Times are taken in the page, so Playwright's round trips
// to the browser are not in them. The browser is a paired register with a cashier signed in and a shift open, as in a
// shop: the device, session and CSRF cookies come from signIn on the store's database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { launchBrowser } from "../tests/helpers/browser.ts";
import { type SignedIn, signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import type { Fixture } from "./fixture.ts";
import { type RunningServer, startServer } from "./server.ts";
import { percentile, progress, round, seededRandom } from "./stats.ts";

const SCANS = 200;
const WARM_UP_SCANS = 10;
/** A big basket, then pay: sales stay the size a shop sees instead of one 200-line sale. */
const LINES_PER_SALE = 25;
const SCAN_TIMEOUT_MS = 5_000;
const SCANS_MAX_MS = 60_000;
const MAX_FAILED_SCANS = 5;
const LOADS = 5;
const LOAD_TIMEOUT_MS = 10_000;
const LARGE_PRODUCTS = Number(process.env.BENCH_REGISTER_LARGE_PRODUCTS ?? 1_000_000);
const LANE = 9;
const SETTLE_MS = 1_000;
// The same binary run.ts starts (it does not pass its path on), for the second, larger store.
const BINARY = process.env.BENCH_BINARY ?? join(import.meta.dir, "..", "dist", "shopflow");

/** Lane LANE as a shop runs it, on the store `store`: paired, a cashier signed in, a shift open. */
async function signInLane(store: Shop): Promise<SignedIn> {
  return await signIn(store, LANE, { name: `Bench cashier ${LANE}` });
}

/**
 * The bench store is already served by the binary run.ts started; SQLite (WAL) lets this process write the device,
 * user, session and shift beside it, as the CLI does on a running store.
 */
async function signInOnDataDir(dataDir: string): Promise<SignedIn> {
  const store = openShop({ dataDir });
  try {
    return await signInLane(store);
  } finally {
    store.close();
  }
}

/** A browser profile holding the register's cookies for `baseUrl`. */
async function registerContext(browser: Browser, baseUrl: string, who: SignedIn): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const cookies = who.cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl, httpOnly: true, sameSite: "Strict" as const };
  });
  await context.addCookies(cookies);
  return context;
}

/** Go to the register; fail at once, saying where the page went, when it is not the register (sign-in, shift, pairing). */
async function gotoRegister(page: Page, baseUrl: string, waitUntil: "load" | "commit"): Promise<void> {
  const res = await page.goto(`${baseUrl}/`, { waitUntil, timeout: LOAD_TIMEOUT_MS });
  const path = new URL(page.url()).pathname;
  if (res?.status() !== 200 || path !== "/") throw new Error(`the register answered ${res?.status()} at ${path}, not the register page`);
}

type ScanTiming = { ms: number | null; frameMs: number | null; message: string };
type ReadyTiming = { readyMs: number; htmlMs: number };
type BenchWindow = Window & { __scan?: Promise<ScanTiming>; __readyMs?: number };

/**
 * Runs in the page before its own scripts: notes the moment the scan field is focused, enabled and Alpine has
 * initialised the till (so the keyboard handlers are wired), in ms since navigation start.
 */
function watchReady(): void {
  const w = window as BenchWindow;
  const ready = (): boolean => {
    const field = document.getElementById("barcode") as HTMLInputElement | null;
    const till = document.querySelector("[x-data]") as (Element & { _x_dataStack?: unknown }) | null;
    if (!field || field.disabled || document.activeElement !== field || !till?._x_dataStack) return false;
    w.__readyMs = performance.now();
    return true;
  };
  document.addEventListener("alpine:initialized", () => {
    if (ready()) return;
    const again = () => ready() && document.removeEventListener("focusin", again);
    document.addEventListener("focusin", again);
  });
}

/**
 * Runs in the page before Enter is pressed: puts the code in the scan field and starts a clock at the Enter keydown
 * that stops when #lines holds more rows than now (the row is in the DOM), and again at the next frame after that.
 */
function armScan({ code, timeoutMs }: { code: string; timeoutMs: number }): void {
  const w = window as BenchWindow;
  const field = document.getElementById("barcode") as HTMLInputElement;
  field.focus();
  field.value = code;
  const rows = () => document.querySelectorAll("#lines tr.item").length;
  const before = rows();
  w.__scan = new Promise<ScanTiming>((resolve) => {
    let pressedAt: number | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && pressedAt === null) pressedAt = performance.now();
    };
    const finish = (timing: ScanTiming) => {
      observer.disconnect();
      clearTimeout(timer);
      window.removeEventListener("keydown", onKey, true);
      resolve(timing);
    };
    const observer = new MutationObserver(() => {
      if (pressedAt === null || rows() <= before) return;
      const start = pressedAt;
      const ms = performance.now() - start;
      observer.disconnect();
      // rAF runs just before the frame is drawn; the task after it runs once that frame is out.
      requestAnimationFrame(() => setTimeout(() => finish({ ms, frameMs: performance.now() - start, message: "" }), 0));
    });
    // #lines is swapped whole (outerHTML), so watch its parent.
    observer.observe(document.getElementById("lines")!.parentElement!, { childList: true, subtree: true });
    const timer = setTimeout(() => finish({ ms: null, frameMs: null, message: document.getElementById("message")?.textContent?.trim() ?? "" }), timeoutMs);
    window.addEventListener("keydown", onKey, true);
  });
}

async function scan(page: Page, code: string): Promise<ScanTiming> {
  await page.evaluate(armScan, { code, timeoutMs: SCAN_TIMEOUT_MS });
  await page.keyboard.press("Enter");
  return await page.evaluate(() => (window as BenchWindow).__scan!);
}

/** Cash for the exact amount due, as a cashier does it with the mouse, then on to the next sale. */
async function payCash(page: Page): Promise<void> {
  await page.click('[data-testid="cash-payment"]');
  await page.locator('[data-testid="cash-received"]').waitFor({ state: "visible" });
  await page.click('[data-testid="complete-sale"]');
  await page.locator('[data-testid="receipt-modal"]').waitFor({ state: "visible" });
  await page.click('[data-testid="next-sale"]');
  await page.locator('[data-testid="receipt-modal"]').waitFor({ state: "detached" });
  const left = await page.locator('[data-testid="item-row"]').count();
  if (left !== 0) throw new Error(`after paying, the register still shows ${left} lines`);
}

/** Distinct unit products in a fixed pseudo-random order: every scan adds a row. */
function distinctBarcodes(fixture: Fixture, count: number): string[] {
  const random = seededRandom(601);
  const pool = fixture.unitProducts;
  const picked = new Set<string>();
  for (let i = 0; picked.size < Math.min(count, pool.length) && i < count * 20; i++) picked.add(pool[Math.floor(random() * pool.length)]!.barcode);
  return [...picked];
}

const summary = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50_ms: round(percentile(sorted, 50), 1), p95_ms: round(percentile(sorted, 95), 1), max_ms: round(sorted.at(-1) ?? Number.NaN, 1) };
};

async function measureScans(browser: Browser, baseUrl: string, fixture: Fixture, who: SignedIn) {
  const context = await registerContext(browser, baseUrl, who);
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    await gotoRegister(page, baseUrl, "load");
    await page.waitForFunction(() => document.activeElement?.id === "barcode");
    const codes = distinctBarcodes(fixture, WARM_UP_SCANS + SCANS);
    const warmUp = codes.slice(0, WARM_UP_SCANS);
    for (const code of warmUp) await scan(page, code);
    await payCash(page);

    progress(`register: ${SCANS} scans in Chromium, paying cash every ${LINES_PER_SALE} lines`);
    const toRow: number[] = [];
    const toFrame: number[] = [];
    const failures: string[] = [];
    let sales = 0;
    const t0 = performance.now();
    let inSale = 0;
    for (const code of codes.slice(WARM_UP_SCANS)) {
      if (performance.now() - t0 > SCANS_MAX_MS || failures.length > MAX_FAILED_SCANS) break;
      const t = await scan(page, code);
      if (t.ms === null) failures.push(`${code}: ${t.message || `no row within ${SCAN_TIMEOUT_MS} ms`}`);
      else {
        toRow.push(t.ms);
        toFrame.push(t.frameMs ?? t.ms);
        inSale++;
      }
      if (inSale === LINES_PER_SALE) {
        await payCash(page);
        sales++;
        inSale = 0;
      }
    }
    if (inSale > 0) {
      await payCash(page);
      sales++;
    }
    return {
      scans: toRow.length,
      ...summary(toRow),
      // The row in the DOM is not yet on screen: this is up to the first frame drawn after it.
      next_frame: summary(toFrame),
      failed: failures.length,
      ...(failures.length ? { first_failures: failures.slice(0, 3) } : {}),
      sales_paid: sales,
      elapsed_s: round((performance.now() - t0) / 1000, 1),
    };
  } finally {
    await context.close();
  }
}

/** One warm-up load, then `LOADS` loads, each in a fresh page: the median is the figure. */
async function measureReady(browser: Browser, baseUrl: string, products: number, who: SignedIn) {
  const context = await registerContext(browser, baseUrl, who);
  await context.addInitScript(watchReady);
  try {
    const loads: ReadyTiming[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const page = await context.newPage();
      try {
        await gotoRegister(page, baseUrl, "commit");
        await page.waitForFunction(() => (window as BenchWindow).__readyMs !== undefined, null, { timeout: LOAD_TIMEOUT_MS });
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return { readyMs: (window as BenchWindow).__readyMs!, htmlMs: nav?.responseEnd ?? Number.NaN };
        });
        if (i > 0) loads.push(t);
      } finally {
        await page.close();
      }
    }
    const median = (xs: number[]) =>
      round(
        percentile(
          [...xs].sort((a, b) => a - b),
          50,
        ),
        1,
      );
    return {
      products,
      median_ms: median(loads.map((l) => l.readyMs)),
      runs_ms: loads.map((l) => round(l.readyMs, 1)),
      // Navigation start to the last byte of the page's HTML: the server's share of the wait.
      html_median_ms: median(loads.map((l) => l.htmlMs)),
    };
  } finally {
    await context.close();
  }
}

/** A second store with `products` demo products, served by the same binary; removed when `use` is done. */
async function withLargeStore<T>(products: number, use: (server: RunningServer, seedMs: number, who: SignedIn, integrityMs: number) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), "shopflow-bench-large-"));
  let server: RunningServer | null = null;
  try {
    const dataDir = join(root, "store");
    const store = openShop({ dataDir });
    progress(`register: seeding ${products} products for the large store`);
    const s0 = performance.now();
    seedDemoCatalog(store.db, { products, now: store.clock.now().toISOString() });
    const seedMs = performance.now() - s0;
    // paired, signed in and with a shift open before the binary starts
    const who = await signInLane(store);
    store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    store.close();
    server = await startServer({ binary: BINARY, dataDir, timeoutMs: 30_000 });
    // After a clean shutdown the store serves at once and checks its file's integrity in the background, reading every
    // page (a million products and their opening stock movements: seconds). The bench store's server has been up a
    // while when its pages load; this one is measured once that check is done too, and how long it took is a figure.
    const i0 = performance.now();
    for (const deadline = i0 + 180_000; performance.now() < deadline; await Bun.sleep(100)) {
      const health = (await (await fetch(`${server.baseUrl}/healthz`)).json()) as { integrity?: { state?: string } | null };
      if (health.integrity?.state !== "checking") break;
    }
    const integrityMs = performance.now() - i0;
    await Bun.sleep(SETTLE_MS);
    return await use(server, seedMs, who, integrityMs);
  } finally {
    if (server && !server.exited()) await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export const register: Section = {
  name: "register",
  phase: "server",
  async run(ctx) {
    const browser = await launchBrowser();
    try {
      const who = await signInOnDataDir(ctx.fixture.dataDir);
      progress("register: page load to scan field ready, bench store");
      const ready = await measureReady(browser, ctx.server!.baseUrl, ctx.fixture.products, who);
      const scanToRow = await measureScans(browser, ctx.server!.baseUrl, ctx.fixture, who);
      const readyLarge = await withLargeStore(LARGE_PRODUCTS, async (server, seedMs, large, integrityMs) => {
        progress(`register: page load to scan field ready, ${LARGE_PRODUCTS} products (server healthy after ${server.startMs} ms)`);
        return {
          ...(await measureReady(browser, server.baseUrl, LARGE_PRODUCTS, large)),
          seed_ms: round(seedMs, 0),
          start_ms: server.startMs,
          integrity_check_ms: round(integrityMs, 0),
        };
      });
      return { register: { scan_to_row: scanToRow, ready, ready_1m: readyLarge } };
    } finally {
      await browser.close();
    }
  },
};
