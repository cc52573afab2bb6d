// `make screenshots`, head office's part: a chain of six stores on a throwaway PostgreSQL (the tests' own, from
// tests/helpers/pg.ts) with two weeks of sales and refunds, a dead letter, a store gone quiet, one never heard from and
// one behind on the catalog, three releases and three people; then head office's pages in Chromium at both sizes, as
// Maria (admin) and Carla (catalog) see them, and `shopflow hq --demo`'s first overview on PGlite with its
// evaluation-only line — written to docs/screenshots/hq-*.png, beside the store's pages that scripts/screenshots.ts writes.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { gtinCheckDigit } from "../src/domain/kernel/barcode.ts";
import { createHqApp } from "../src/sync/hq/app.ts";
import { publishRelease } from "../src/sync/hq/catalog/releases.ts";
import { type HqSql, migrateHq, openHq } from "../src/sync/hq/db/db.ts";
import { seedDemo, startDemoDatabase, withEvaluationBanner } from "../src/sync/hq/demo/demo.ts";
import type { BatchItem } from "../src/sync/hq/ingest/receiver.ts";
import { receiveBatch } from "../src/sync/hq/ingest/receiver.ts";
import { addUser } from "../src/sync/hq/people/users.ts";
import { addStore } from "../src/sync/hq/stores/stores.ts";
import { launchBrowser } from "../tests/helpers/browser.ts";
import { startPostgres } from "../tests/helpers/pg.ts";
import { batch, item, returnDoc, saleDoc } from "../tests/sync/support.ts";

const OUT_DIR = join(import.meta.dir, "..", "docs", "screenshots");
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];
const TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const PEOPLE = {
  maria: { name: "Maria", role: "admin", password: "maria-password-1" },
  carla: { name: "Carla", role: "catalog", password: "carla-password-1" },
  vera: { name: "Vera", role: "viewer", password: "vera-password-1" },
} as const;

type Chain = { stores: Record<string, string>; veraId: number };

/** A barcode with its right check digit, from the number of the product. */
const barcodeOf = (n: number) => {
  const base = `4000000${String(n).padStart(5, "0")}`;
  return `${base}${gtinCheckDigit(base)}`;
};

/** The chain's catalog: a few shelves of a grocery, reduced and standard rate. */
const PRODUCTS = [
  ["MILK-1L", "Fresh Milk 1 L", 119, "RED", "Dairy"],
  ["BUTTER-250", "Butter 250 g", 239, "RED", "Dairy"],
  ["YOGHURT-500", "Greek Yoghurt 500 g", 189, "RED", "Dairy"],
  ["EGGS-10", "Free-range Eggs 10", 329, "RED", "Dairy"],
  ["BREAD-SD", "Sourdough Loaf 800 g", 349, "RED", "Bakery"],
  ["CROISSANT", "Butter Croissant", 129, "RED", "Bakery"],
  ["BANANAS", "Bananas, loose", 199, "RED", "Produce"],
  ["APPLES-1KG", "Apples 1 kg", 279, "RED", "Produce"],
  ["TOMATOES", "Vine Tomatoes 500 g", 249, "RED", "Produce"],
  ["WATER-6", "Mineral Water 6 × 1.5 L", 399, "STD", "Drinks"],
  ["COLA-1L", "Cola 1 L", 169, "STD", "Drinks"],
  ["COFFEE-500", "Coffee Beans 500 g", 899, "RED", "Pantry"],
  ["PASTA-500", "Spaghetti 500 g", 149, "RED", "Pantry"],
  ["OLIVE-OIL", "Olive Oil 750 ml", 749, "RED", "Pantry"],
  ["CHOC-100", "Dark Chocolate 100 g", 229, "RED", "Pantry"],
  ["SOAP-3", "Hand Soap 3 pack", 459, "STD", "Household"],
] as const;

const product = ([sku, name, price, tax_class, category]: (typeof PRODUCTS)[number], i: number) => ({
  sku,
  barcode: barcodeOf(i + 1),
  name,
  price,
  tax_class,
  category,
  weighed: sku === "BANANAS",
  active: true,
});

/** The catalog in three releases: the opening one, then two price changes. */
async function publishCatalog(sql: HqSql, now: Date): Promise<void> {
  const categories = [...new Set(PRODUCTS.map((p) => p[4]))];
  await sql`INSERT INTO catalog_categories (name, created_by) SELECT unnest(${categories}::text[]), 'screenshots' ON CONFLICT DO NOTHING`;
  const all = PRODUCTS.map(product);
  const taxClasses = [
    { code: "RED", name: "Reduced", rate_bp: 1000 },
    { code: "STD", name: "Standard", rate_bp: 2000 },
  ];
  await publishRelease(sql, { tax_classes: taxClasses, products: all }, new Date(now.getTime() - 20 * DAY_MS), "Opening catalog", "Carla");
  const dearer = (sku: string, by: number) => ({ ...all.find((p) => p.sku === sku)!, price: all.find((p) => p.sku === sku)!.price + by });
  await publishRelease(sql, { products: [dearer("COFFEE-500", 50)] }, new Date(now.getTime() - 9 * DAY_MS), "Coffee up from the roaster", "Carla");
  await publishRelease(sql, { products: [dearer("MILK-1L", 10), dearer("BUTTER-250", 20)] }, new Date(now.getTime() - 2 * DAY_MS), "Dairy prices", "Carla");
}

/** Fourteen days of sales at a store (`perDay` a day, give or take), a refund now and then, sent as a store sends them. */
async function sellForTwoWeeks(sql: HqSql, storeId: string, perDay: number, now: Date, deadLetter = false): Promise<void> {
  const list: BatchItem[] = [];
  for (let d = 13; d >= 0; d--) {
    const day = new Date(now.getTime() - d * DAY_MS).toISOString().slice(0, 10);
    const count = perDay + ((d * 7 + perDay) % 4) - 1;
    for (let i = 0; i < count; i++) {
      const sale = saleDoc(list.length + 1, { day, lines: 1 + ((i + d) % 6) });
      list.push(item(list.length + 1, sale));
      if ((i + d) % 9 === 4) list.push(item(list.length + 1, returnDoc(sale, list.length + 1, { day }), "return"));
    }
  }
  if (deadLetter) {
    // a gift card's number typed into a line's name: head office never merges it and keeps it masked for someone to read
    const sale = saleDoc(list.length + 1, { day: now.toISOString().slice(0, 10), lines: 2 });
    sale.lines[0]!.name = "Gift card 4111 1111 1111 1111";
    list.push(item(list.length + 1, sale));
  }
  for (let at = 0; at < list.length; at += 200) {
    const answer = await receiveBatch(sql, storeId, batch(storeId, "E1", list.slice(at, at + 200)));
    if (answer.status !== 200) throw new Error(`a batch for ${storeId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

/** Six stores, each in its own state, and the people who run the chain. */
async function seedChain(sql: HqSql, now: Date): Promise<Chain> {
  await publishCatalog(sql, now);
  const stores: Record<string, string> = {};
  for (const name of ["Harbour Street", "Market Square", "Old Town", "Riverside", "Station Road", "West Mall"]) {
    stores[name] = (await addStore(sql, name)).storeId;
  }
  await sellForTwoWeeks(sql, stores["Harbour Street"]!, 3, now, true);
  await sellForTwoWeeks(sql, stores["Market Square"]!, 8, now);
  await sellForTwoWeeks(sql, stores["Old Town"]!, 6, now);
  await sellForTwoWeeks(sql, stores.Riverside!, 4, now);
  await sellForTwoWeeks(sql, stores["Station Road"]!, 9, now);
  // heard from a minute ago and on the latest catalog; Riverside quiet for 95 minutes, Old Town two releases behind
  await sql`UPDATE stores SET last_contact_at = ${new Date(now.getTime() - 60_000)}, catalog_version = 3, catalog_reported_at = ${now}
    WHERE name <> 'West Mall'`;
  await sql`UPDATE stores SET last_contact_at = ${new Date(now.getTime() - 95 * 60_000)} WHERE name = 'Riverside'`;
  await sql`UPDATE stores SET catalog_version = 1 WHERE name = 'Old Town'`;
  for (const p of Object.values(PEOPLE)) await addUser(sql, { ...p, createdBy: "screenshots" });
  const [vera] = await sql<{ id: number }[]>`SELECT id::int AS id FROM hq_users WHERE name = 'Vera'`;
  return { stores, veraId: vera!.id };
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** A fresh browser at `size`, signed in through the form as `who`. */
async function signedIn(browser: Browser, url: string, size: (typeof SIZES)[number], who: { name: string; password: string }) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.goto(`${url}/login`);
  await page.getByTestId("name-input").fill(who.name);
  await page.getByTestId("password-input").fill(who.password);
  await page.getByTestId("login-submit").click();
  await page.waitForURL(`${url}/`);
  return { context, page };
}

/** Screenshot what the page shows now; `full` takes the whole page, not only the screen. */
async function shot(page: Page, name: string, size: (typeof SIZES)[number], full = false): Promise<void> {
  await settle(page);
  await page.screenshot({ path: join(OUT_DIR, `hq-${name}-${size.width}x${size.height}.png`), fullPage: full });
}

/** Open `path` (answered `status`, 200 unless told) and screenshot it. */
async function visit(page: Page, url: string, path: string, name: string, size: (typeof SIZES)[number], o: { full?: boolean; status?: number } = {}) {
  const res = await page.goto(`${url}${path}`);
  if (res?.status() !== (o.status ?? 200)) throw new Error(`${path} answered ${res?.status()} at ${page.url()}`);
  await shot(page, name, size, o.full);
}

/** What Maria sees: the overview, a store's page and its new token, people, the audit log, her account, a 404. */
async function shootAdmin(browser: Browser, url: string, chain: Chain, size: (typeof SIZES)[number], first: boolean): Promise<void> {
  const { context, page } = await signedIn(browser, url, size, PEOPLE.maria);
  try {
    const harbour = chain.stores["Harbour Street"]!;
    if (first) {
      // Vera looks after two stores only: the person page shows the limit, the audit log the change
      await page.goto(`${url}/users/${chain.veraId}`);
      await page.getByTestId("stores-some").check();
      for (const name of ["Harbour Street", "Market Square"])
        await page
          .getByTestId("store-choice")
          .and(page.locator(`[name="store:${chain.stores[name]}"]`))
          .check();
      await page.getByTestId("stores-submit").click();
      await page.getByTestId("person-name").waitFor();
    }
    await visit(page, url, "/", "overview", size, { full: true });
    await visit(page, url, `/stores/${harbour}`, "store-page", size, { full: true });
    await page.getByTestId("rotate-form").getByRole("button").click();
    await page.waitForURL(`${url}/stores/${harbour}/rotate-token`);
    await shot(page, "store-new-token", size);
    await visit(page, url, "/users", "users", size);
    await visit(page, url, `/users/${chain.veraId}`, "person", size, { full: true });
    await visit(page, url, "/audit", "audit", size, { full: size.width < 1366 });
    await visit(page, url, "/reports?view=stores&period=last30", "reports-stores", size, { full: true });
    await visit(page, url, "/reports?view=hours&period=last30", "reports-heatmap", size, { full: true });
    await visit(page, url, "/reports?view=movers&period=last30", "reports-movers", size, { full: true });
    await visit(page, url, "/account", "account", size);
    await visit(page, url, "/stores/00000000-0000-7000-8000-000000000000", "error-in-layout", size, { status: 404 });
  } finally {
    await context.close();
  }
}

/** A weekly price file with three mistakes in it, as a spreadsheet exports one. */
const BAD_CSV = `sku,name,price,tax class,barcode\nMILK-1L,Fresh Milk 1 L,3.4x,RED,\nBREAD-SD,Sourdough Loaf 800 g,3.59,LOW,\nEGGS-10,Free-range Eggs 10,3.39,RED,4000000000018\n`;

/** What Carla sees: the catalog, filtered, a refused CSV file, one store's own price and the draft it went into. */
async function shootCatalog(browser: Browser, url: string, chain: Chain, size: (typeof SIZES)[number], first: boolean): Promise<void> {
  const { context, page } = await signedIn(browser, url, size, PEOPLE.carla);
  try {
    const station = chain.stores["Station Road"]!;
    await visit(page, url, "/catalog", "catalog-list", size);
    await visit(page, url, "/catalog?category=Dairy&tax_class=RED", "catalog-filtered", size);
    await page.goto(`${url}/catalog/import`);
    await page.getByTestId("import-file").setInputFiles({ name: "prices.csv", mimeType: "text/csv", buffer: Buffer.from(BAD_CSV) });
    await page.getByTestId("import-submit").click();
    await page.getByTestId("import-problems").waitFor();
    await shot(page, "catalog-import", size);
    if (first) {
      // the station's commuters pay a little more for coffee on the go
      await page.goto(`${url}/catalog/prices?store=${station}`);
      const form = page.getByTestId("store-price-form");
      await form.locator('[name="sku"]').fill("COFFEE-500");
      await form.locator('[name="price"]').fill("9.79");
      await page.getByTestId("save-store-price").click();
      await page.getByTestId("store-prices-draft").waitFor();
    }
    await visit(page, url, `/catalog/prices?store=${station}`, "store-prices", size, { full: true });
    if (first) {
      // a region for the coast: its stores sell coffee beans for less, and Station Road moves into it
      await page.goto(`${url}/catalog/regions`);
      await page.getByTestId("name-input").fill("Coast");
      await page.getByTestId("add-region").click();
      await page.waitForURL(/\/catalog\/regions\/\d+/);
      const priceForm = page.getByTestId("region-price-form");
      await priceForm.locator('[name="sku"]').fill("COFFEE-500");
      await priceForm.locator('[name="price"]').fill("8.99");
      await page.getByTestId("save-region-price").click();
      await page.getByTestId("region-draft").waitFor();
      await page.getByTestId("region-store").selectOption(station);
      await page.getByTestId("save-region-store").click();
      await page.locator(`[data-testid="region-draft"] [data-store-id="${station}"]`).waitFor();
    }
    await visit(page, url, "/catalog/regions", "regions", size);
    await page.goto(`${url}/catalog/regions`);
    await page.getByTestId("region-row").first().locator("a").click();
    await page.waitForURL(/\/catalog\/regions\/\d+/);
    await shot(page, "region", size, true);
    await visit(page, url, "/catalog/draft", "draft-store-price", size);
  } finally {
    await context.close();
  }
}

/** `shopflow hq --demo`'s first overview: the embedded database, its demo admin, and the evaluation-only line. */
async function shootDemo(browser: Browser): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-hq-demo-"));
  const demo = await startDemoDatabase(join(dir, "hq-demo"));
  const sql = openHq(demo.url, { max: 4 });
  let server: ReturnType<typeof Bun.serve> | null = null;
  try {
    await migrateHq(sql);
    const seed = await seedDemo(sql);
    const app = createHqApp(sql, "screenshots", { currency: "EUR" });
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withEvaluationBanner(app.fetch), development: false });
    const url = `http://127.0.0.1:${server.port}`;
    for (const size of SIZES) {
      const { context, page } = await signedIn(browser, url, size, { name: "demo-admin", password: seed!.password });
      try {
        await shot(page, "demo-overview", size);
      } finally {
        await context.close();
      }
    }
  } finally {
    await server?.stop(true);
    await sql.end({ timeout: 5 });
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pg = await startPostgres();
  const sql = openHq(pg.url);
  let server: ReturnType<typeof Bun.serve> | null = null;
  let browser: Browser | null = null;
  try {
    await migrateHq(sql);
    const chain = await seedChain(sql, new Date());
    const app = createHqApp(sql, "screenshots", { currency: "EUR" });
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch, idleTimeout: 120, development: false });
    const url = `http://127.0.0.1:${server.port}`;
    browser = await launchBrowser();
    mkdirSync(OUT_DIR, { recursive: true });
    for (const [i, size] of SIZES.entries()) {
      await shootAdmin(browser, url, chain, size, i === 0);
      await shootCatalog(browser, url, chain, size, i === 0);
      console.log(`wrote head office's pages at ${size.width}x${size.height}`);
    }
    await shootDemo(browser);
    console.log("wrote hq-demo-overview");
  } finally {
    await browser?.close();
    await server?.stop(true);
    await sql.end({ timeout: 5 });
    await pg.cleanup();
  }
}

await main().catch((e) => {
  console.error(`screenshots (head office): ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
