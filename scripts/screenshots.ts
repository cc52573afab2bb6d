// `make screenshots`: a demo store in this process, the register in Chromium at two screen sizes, mid-sale and with
// the receipt open after a cash payment, then a return without a receipt (two items) and an exchange toward a new sale,
// then the manager's back office (cash-up, Devices, audit log, users), written to docs/screenshots/ as PNGs. Each size is its own lane: a paired
// register with a cashier signed in and a shift open, its cookies from signIn.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { defaultEmbeddedPatterns, makeEmbedded } from "../src/domain/kernel/barcode.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop, type Shop } from "../src/server/compose.ts";
import { launchBrowser } from "../tests/helpers/browser.ts";
import { type SignedIn, signIn } from "../tests/helpers/store.ts";

const OUT_DIR = join(import.meta.dir, "..", "docs", "screenshots");
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];
/** The register on a phone, one column. */
const PHONE = { width: 390, height: 844 };
const TIMEOUT_MS = 10_000;

/** A scan as the register gets it, and how many times in a row (twice makes a quantity 2 line). */
type Scan = { code: string; times: number };

/** A believable basket from the demo catalog: six lines, one of them loose fruit from the label scale, one ×2. */
function basket(store: Shop): Scan[] {
  const unit = store.db.query<{ barcode: string }, [string]>(
    "SELECT barcode FROM products WHERE weighed = 0 AND active = 1 AND barcode IS NOT NULL AND name LIKE ? ORDER BY id LIMIT 1",
  );
  const loose = store.db.query<{ barcode: string }, [string]>(
    "SELECT barcode FROM products WHERE weighed = 1 AND active = 1 AND name LIKE ? AND substr(barcode, 1, 2) IN ('23', '24', '25') ORDER BY id LIMIT 1",
  );
  const codeOf = (row: { barcode: string } | null, what: string): string => {
    if (!row) throw new Error(`the demo catalog has no ${what}`);
    return row.barcode;
  };
  const bananas = codeOf(loose.get("%Bananas%"), "loose bananas");
  const scale = defaultEmbeddedPatterns.find((p) => p.kind === "weight" && bananas.startsWith(p.prefix));
  if (!scale) throw new Error(`no weight pattern reads ${bananas}`);
  return [
    { code: codeOf(unit.get("%Fresh Milk%"), "fresh milk"), times: 2 },
    { code: codeOf(unit.get("%Sourdough Loaf%"), "sourdough"), times: 1 },
    { code: makeEmbedded(bananas, 742, scale), times: 1 }, // 0.742 kg, as the scale label says
    { code: codeOf(unit.get("%Free-range Eggs%"), "eggs"), times: 1 },
    { code: codeOf(unit.get("%Chocolate%"), "chocolate"), times: 1 },
    { code: codeOf(unit.get("%Mineral Water%6 ×%"), "a water six-pack"), times: 1 },
  ];
}

async function scan(page: Page, code: string): Promise<void> {
  const rows = page.locator('[data-testid="item-row"]');
  const before = await rows.count();
  const qtyBefore = before ? await rows.last().locator('[data-testid="item-qty"]').textContent() : null;
  await page.fill('[data-testid="barcode-input"]', code);
  await page.press('[data-testid="barcode-input"]', "Enter");
  await page.waitForFunction(
    ({ before, qtyBefore }) => {
      const all = document.querySelectorAll("#lines tr.item");
      const qty = all[all.length - 1]?.querySelector('[data-testid="item-qty"]')?.textContent ?? null;
      return all.length > before || (all.length === before && qty !== qtyBefore);
    },
    { before, qtyBefore },
  );
  const error = await page.evaluate(() => document.querySelector("#message.error")?.textContent?.trim());
  if (error) throw new Error(`scanning ${code} was refused: ${error}`);
}

/** The note a customer hands over for this amount (in cents): the smallest that covers it. */
function noteFor(due: number): number {
  return [500, 1000, 2000, 5000, 10000, 20000].find((n) => n > due) ?? Math.ceil((due + 1) / 10000) * 10000;
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** The device, session and CSRF cookies of a signed-in register, as the browser holds them. */
function cookiesOf(who: SignedIn, url: string) {
  return who.cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url, httpOnly: true, sameSite: "Strict" as const };
  });
}

/** Mid-sale and the receipt after a cash payment; the receipt's number, for the return shots. */
async function shoot(browser: Browser, baseUrl: string, scans: Scan[], size: { width: number; height: number }, who: SignedIn): Promise<string> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  try {
    await context.addCookies(cookiesOf(who, baseUrl));
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${baseUrl}/`);
    const path = new URL(page.url()).pathname;
    if (path !== "/") throw new Error(`the register sent the browser to ${path} instead of the register page`);
    await page.waitForFunction(() => document.activeElement?.id === "barcode");
    for (const s of scans) for (let i = 0; i < s.times; i++) await scan(page, s.code);
    await settle(page);
    const name = `register-${size.width}x${size.height}`;
    await page.screenshot({ path: join(OUT_DIR, `${name}-mid-sale.png`) });

    const dueText = (await page.locator('[data-testid="total-due"]').textContent()) ?? "";
    const due = Number(dueText.replace(/[^\d]/g, ""));
    if (!Number.isSafeInteger(due) || due <= 0) throw new Error(`the total due reads "${dueText}"`);
    await page.click('[data-testid="cash-payment"]');
    await page.fill('[data-testid="cash-received"]', (noteFor(due) / 100).toFixed(2));
    await page.click('[data-testid="complete-sale"]');
    await page.locator('[data-testid="receipt-modal"]').waitFor({ state: "visible" });
    await settle(page);
    await page.screenshot({ path: join(OUT_DIR, `${name}-receipt.png`) });
    console.log(`wrote ${name}-mid-sale.png and ${name}-receipt.png (due ${dueText.trim()})`);
    const label = (await page.locator('[data-testid="receipt-modal"] .receipt').getAttribute("aria-label")) ?? "";
    return label.replace("Receipt ", "");
  } finally {
    await context.close();
  }
}

/**
 * Returns at the same lane, a new sale on the register (two of the basket's items): the no-receipt dialog with two
 * items in it (a manager's approval asked on the same screen), then one item of `receipt` exchanged toward the sale.
 */
async function shootReturns(browser: Browser, baseUrl: string, scans: Scan[], receipt: string, size: { width: number; height: number }, who: SignedIn) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  try {
    await context.addCookies(cookiesOf(who, baseUrl));
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${baseUrl}/`);
    await page.waitForFunction(() => document.activeElement?.id === "barcode");
    for (const s of scans.slice(3, 5)) await scan(page, s.code);
    const name = `register-${size.width}x${size.height}`;
    const refused = () => page.evaluate(() => document.querySelector<HTMLElement>("#dialog [data-testid=dialog-message]:not([hidden])")?.textContent?.trim());

    // no receipt: the codes typed into the dialog's own field (fill: a scanner's burst of digits would go to the sale)
    await page.click('[data-testid="return-button"]');
    await page.click('[data-testid="return-no-receipt"]');
    await page.locator('[data-testid="return-no-receipt-dialog"]').waitFor({ state: "visible" });
    for (const [i, item] of [
      { code: scans[0]!.code, qty: "2" },
      { code: scans[1]!.code, qty: "1" },
    ].entries()) {
      await page.fill('[data-testid="no-receipt-qty"]', item.qty);
      await page.fill('[data-testid="no-receipt-code"]', item.code);
      await page.press('[data-testid="no-receipt-code"]', "Enter");
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="no-receipt-line"]').length === n, i + 1);
    }
    const error = await refused();
    if (error) throw new Error(`the no-receipt dialog refused an item: ${error}`);
    await settle(page);
    await page.screenshot({ path: join(OUT_DIR, `${name}-no-receipt.png`) });
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !(document.getElementById("dialog") as HTMLDialogElement).open);

    // the receipt's first line, one of it, exchanged toward the sale on the register
    await page.click('[data-testid="return-button"]');
    await page.fill('[data-testid="return-receipt"]', receipt);
    await page.press('[data-testid="return-receipt"]', "Enter");
    await page.locator('[data-testid="return-lines"]').waitFor({ state: "visible" });
    await page.locator('[data-testid="return-qty"]').first().fill("1");
    await page.check('[data-testid="refund-exchange"]');
    await page.click('[data-testid="confirm-return"]');
    await page
      .locator('[data-testid="exchange-outcome"]')
      .waitFor({ state: "visible" })
      .catch(async (e) => {
        throw new Error(`the exchange was not taken: ${(await refused()) ?? (e as Error).message}`);
      });
    await settle(page);
    await page.screenshot({ path: join(OUT_DIR, `${name}-exchange.png`) });
    console.log(`wrote ${name}-no-receipt.png and ${name}-exchange.png`);
  } finally {
    await context.close();
  }
}

/** The back office a manager uses, after the sales above: shift cash-up, Devices, the audit log and users. */
const BACK_OFFICE = [
  { path: "/sales", name: "sales-history" },
  { path: "/shift/close", name: "shift-close" },
  { path: "/devices", name: "devices" },
  { path: "/audit", name: "audit" },
  { path: "/reports/loss-prevention", name: "reports-loss-prevention" },
  { path: "/reports/stock-movement", name: "reports-stock-movement" },
  { path: "/reports/shifts", name: "reports-closed-shifts" },
  { path: "/reports", name: "reports-products" },
  { path: "/reports/hour", name: "reports-heatmap" },
  { path: "/reports/bought-together", name: "reports-bought-together" },
  { path: "/quick-keys", name: "quick-keys" },
  { path: "/users", name: "users" },
  { path: "/settings", name: "settings" },
  { path: "/products", name: "products" },
  { path: "/products/1", name: "product" },
  { path: "/stock/deliveries", name: "delivery" },
  { path: "/stock/adjust", name: "stock-adjust" },
  { path: "/stock/low", name: "stock-low" },
  { path: "/stock/labels", name: "shelf-labels" },
  { path: "/stock/counts", name: "stock-counts" },
  { path: "/tax-classes", name: "tax-classes" },
];

/** The count the first size starts (a few shelves counted), shown as its sheet and its variance report at each size. */
let countPath: string | null = null;

async function shootBackOffice(browser: Browser, baseUrl: string, size: { width: number; height: number }, who: SignedIn) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  try {
    await context.addCookies(cookiesOf(who, baseUrl));
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    // a few things a manager does in a day, through the app, so the audit log has rows to show
    const post = async (path: string, form: Record<string, string>) => {
      const res = await page.request.post(`${baseUrl}${path}`, { form, headers: { "X-CSRF-Token": who.csrf, Origin: baseUrl }, maxRedirects: 0 });
      if (res.status() >= 400) throw new Error(`${path} answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
    };
    if (size === SIZES[0]) {
      await post("/shift/cash", { kind: "in", amount: "50.00", reason: "Change from the bank" });
      await post("/register/no-sale", { reason: "Customer swapped a 20 for two 10s" });
      await post("/shift/cash", { kind: "out", amount: "120.00", reason: "Safe drop" });
    }
    if (size === SIZES[0]) {
      // a count of the first category, some of it counted: the sheet and the report have rows to show
      const res = await page.request.post(`${baseUrl}/stock/counts`, {
        form: { scope: "category", category: "1" },
        headers: { "X-CSRF-Token": who.csrf, Origin: baseUrl },
        maxRedirects: 0,
      });
      countPath = res.headers().location ?? null;
      if (res.status() !== 303 || !countPath) throw new Error(`starting a count answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
      for (const [n, sku] of ["SKU-000001", "SKU-000002", "SKU-000003", "SKU-000005", "SKU-000008"].entries()) {
        await post(`${countPath}/scan`, { items: `${sku} x${n + 2}` });
      }
    }
    const pages = [...BACK_OFFICE, { path: countPath!, name: "stock-count" }, { path: `${countPath}/report`, name: "stock-count-report" }];
    for (const { path, name } of pages) {
      const res = await page.goto(`${baseUrl}${path}`);
      if (!res?.ok() || new URL(page.url()).pathname !== path) throw new Error(`${path} answered ${res?.status()} at ${page.url()}`);
      await settle(page);
      await page.screenshot({ path: join(OUT_DIR, `${name}-${size.width}x${size.height}.png`) });
    }
    // Back up now on the Devices page, followed until the copy is made
    await page.goto(`${baseUrl}/devices`);
    await page.getByTestId("back-up-now").click();
    await page.getByTestId("backup-said").waitFor({ state: "visible" });
    await page.locator("#backups").scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: join(OUT_DIR, `devices-backups-${size.width}x${size.height}.png`) });
    console.log(`wrote ${BACK_OFFICE.map((b) => b.name).join(", ")}, stock-count, stock-count-report, devices-backups at ${size.width}x${size.height}`);
  } finally {
    await context.close();
  }
}

/** A catalog release from head office kept for next week, as the catalog puller keeps it: Devices lists it as waiting. */
function keepNextWeeksPrices(store: Shop): void {
  const rows = store.db
    .query<{ sku: string; barcode: string | null; name: string; price: number; tax_class: string }, []>(
      "SELECT sku, barcode, name, price, tax_class FROM products WHERE active = 1 ORDER BY id LIMIT 3",
    )
    .all();
  const products = rows.map((p) => ({ ...p, price: p.price + 10, category: null, weighed: false, active: true }));
  const at = new Date(store.clock.now().getTime() + 7 * 86_400_000);
  at.setUTCHours(5, 0, 0, 0);
  store.db
    .query("INSERT INTO catalog_release_log(version, effective_at, changes, received_at) VALUES (1, ?, ?, ?)")
    .run(
      at.toISOString(),
      JSON.stringify({ tax_classes: [], products, store_prices: [{ sku: products[0]!.sku, price: products[0]!.price - 20 }] }),
      store.clock.now().toISOString(),
    );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-screenshots-"));
  const store = openShop({ dataDir: dir });
  let server: ReturnType<typeof Bun.serve> | null = null;
  let browser: Browser | null = null;
  try {
    seedDemoCatalog(store.db, { now: store.clock.now().toISOString() });
    store.reloadSettings();
    keepNextWeeksPrices(store);
    const scans = basket(store);
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createApp(store).fetch });
    browser = await launchBrowser();
    mkdirSync(OUT_DIR, { recursive: true });
    // One lane per size, so each screen shows its own sale; a named cashier, as the top bar shows who sells.
    const cashiers = ["Sam Carter", "Alex Moreno"];
    const lanes: { size: (typeof SIZES)[number]; who: SignedIn; receipt: string }[] = [];
    for (const [i, size] of SIZES.entries()) {
      const who = await signIn(store, i + 1, { name: cashiers[i % cashiers.length]! });
      lanes.push({ size, who, receipt: await shoot(browser, `http://127.0.0.1:${server.port}`, scans, size, who) });
    }
    await shoot(browser, `http://127.0.0.1:${server.port}`, scans, PHONE, await signIn(store, SIZES.length + 1, { name: "Riley Chen" }));
    const manager = await signIn(store, 1, { name: "Jo Lindqvist", role: "manager" });
    // the returns once a manager exists, so the no-receipt dialog shows the approval a cashier asks for
    for (const l of lanes) await shootReturns(browser, `http://127.0.0.1:${server.port}`, scans, l.receipt, l.size, l.who);
    store.together.catchUp(); // the sales above counted, as the background worker of a serving store does
    for (const size of SIZES) await shootBackOffice(browser, `http://127.0.0.1:${server.port}`, size, manager);
  } finally {
    await browser?.close();
    await server?.stop(true);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((e) => {
  console.error(`screenshots: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
