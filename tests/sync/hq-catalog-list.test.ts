// The catalog list at chain scale: 50 products a page in name order, paged by keyset both ways without losing or
// repeating a product, filtered by category, tax class, on sale and changed since, money formatted, and the list
// following every release (the trigger that keeps catalog_products) however the release was written.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { catalogListPage, readListQuery } from "../../src/sync/hq/catalog/list.ts";
import { type CatalogProduct, publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import { errorCode, type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { chainTaxClasses } from "./support.ts";

let hq: Hq;
let vera: Visitor;

const CATEGORIES = ["Dairy", "Bakery", "Drinks"];
// 130 products: names that sort differently from their SKUs, some sharing a name (the SKU breaks the tie), every
// seventh off sale, categories and tax classes spread over them
const products: CatalogProduct[] = Array.from({ length: 130 }, (_, i) => ({
  sku: `SKU-${String(i).padStart(4, "0")}`,
  barcode: null,
  name: `${["apple", "Banana", "cherry", "Date"][i % 4]} ${String((i * 37) % 60).padStart(2, "0")}`,
  price: 100 + i * 7,
  tax_class: i % 3 === 0 ? "STD" : "RED",
  category: i % 5 === 4 ? null : CATEGORIES[i % 3]!,
  weighed: false,
  active: i % 7 !== 0,
}));
const order = (a: CatalogProduct, b: CatalogProduct) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
};

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    {
      tax_classes: chainTaxClasses,
      products,
    },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );
  vera = await signedIn(hq, "Vera", "viewer");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const skusOn = (html: string) => [...html.matchAll(/data-sku="([^"]+)"/g)].map((m) => m[1]!);
const linkOf = (html: string, testid: string) => {
  const m = new RegExp(`href="([^"]+)"[^>]*data-testid="${testid}"`).exec(html);
  return m ? m[1]!.replaceAll("&amp;", "&") : null;
};

/** Walk the pages by their "next" links from `start`; every page's SKUs in turn. */
async function walk(start: string): Promise<string[][]> {
  const pages: string[][] = [];
  for (let href: string | null = start; href; ) {
    const { res, html } = await vera.page(href);
    expect(res.status).toBe(200);
    pages.push(skusOn(html));
    href = linkOf(html, "next-page");
    expect(pages.length).toBeLessThan(10);
  }
  return pages;
}

test("the list is 50 a page in name order; next walks every product once, and previous comes back to the same page", async () => {
  const pages = await walk("/catalog");
  expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
  expect(pages.flat()).toEqual([...products].sort(order).map((p) => p.sku));

  const second = await vera.page(linkOf((await vera.page("/catalog")).html, "next-page")!);
  const back = await vera.page(linkOf(second.html, "previous-page")!);
  expect(skusOn(back.html)).toEqual(pages[0]!);
  expect(linkOf(back.html, "previous-page")).toBeNull(); // back on the first page
  expect(linkOf(second.html, "first-page")).toBe("/catalog");
});

test("filters narrow the list, can be combined, and the pager keeps them", async () => {
  const expectFor = (keep: (p: CatalogProduct) => boolean) =>
    products
      .filter(keep)
      .sort(order)
      .map((p) => p.sku);
  expect((await walk("/catalog?category=Dairy")).flat()).toEqual(expectFor((p) => p.category === "Dairy"));
  expect((await walk("/catalog?tax_class=STD")).flat()).toEqual(expectFor((p) => p.tax_class === "STD"));
  expect((await walk("/catalog?active=no")).flat()).toEqual(expectFor((p) => !p.active));
  const both = await walk("/catalog?active=yes&tax_class=RED");
  expect(both.length).toBe(2); // 70-odd rows: the next link kept both filters
  expect(both.flat()).toEqual(expectFor((p) => p.active && p.tax_class === "RED"));
  expect((await walk("/catalog?category=Bakery&q=banana")).flat()).toEqual(expectFor((p) => p.category === "Bakery" && /banana/i.test(p.name)));
});

test("changed since: a release published later brings its products to the list, with their new values, once", async () => {
  // a release written straight into the table with its publishing time (as `shopflow hq publish` or an old release would be)
  const changed = { ...products[3]!, price: 999, name: "apple 00 renamed" };
  const added: CatalogProduct = { ...products[0]!, sku: "NEW-1", name: "Zucchini", price: 250, category: "Bakery" };
  await hq.sql`
    INSERT INTO catalog_releases (version, published_at, effective_at, note, changes)
    SELECT max(version) + 1, '2030-01-05T10:00:00Z', '2030-01-05T10:00:00Z', 'later', ${hq.sql.json({ tax_classes: [], products: [changed, added] } as never)}
    FROM catalog_releases`;
  const since = await walk("/catalog?changed_since=2030-01-05");
  expect(since.flat()).toEqual([changed.sku, "NEW-1"]); // "apple 00 renamed" < "Zucchini"
  expect((await walk("/catalog?changed_since=2030-01-06")).flat()).toEqual([]);
  const all = (await walk("/catalog")).flat();
  expect(all.filter((s) => s === changed.sku).length).toBe(1);
  expect(all.length).toBe(131);
  // money as money, in head office's currency
  const page = (await vera.page("/catalog?q=Zucchini")).html;
  expect(page).toContain("€2.50");
  const [row] = await hq.sql<{ price: number }[]>`SELECT (item->>'price')::int AS price FROM catalog_products WHERE sku = ${changed.sku}`;
  expect(row!.price).toBe(999);
});

test("the htmx request gets only the results, and a bad filter or page link is refused in words", async () => {
  const res = await vera.request("GET", "/catalog?category=Drinks", { headers: { "HX-Request": "true" } });
  const text = await res.text();
  expect(text).toStartWith('<div id="catalog-results">');
  expect(text).not.toContain("<html");
  for (const bad of ["/catalog?active=maybe", "/catalog?changed_since=2026-02-30", "/catalog?after=not-a-cursor"]) {
    const r = await vera.request("GET", bad);
    expect(r.status).toBe(422);
    expect(await errorCode(r)).toBe("invalid_input");
  }
});

test("a page reads the index from the cursor: the plan is a range scan with no OFFSET and no sort of the whole table", async () => {
  // enough rows that the planner prefers the index, as it does at a million
  await hq.sql`
    INSERT INTO catalog_products (sku, name, tax_class, category, active, item, version, effective_at, changed_at)
    SELECT 'BULK-' || g, 'bulk ' || g, 'RED', 'Drinks', true, jsonb_build_object('sku', 'BULK-' || g, 'name', 'bulk ' || g, 'price', 1,
      'tax_class', 'RED', 'category', 'Drinks', 'barcode', null, 'weighed', false, 'active', true), 1, now(), now()
    FROM generate_series(1, 20000) g`;
  await hq.sql`ANALYZE catalog_products`;
  const { filter, after } = readListQuery({ category: "Drinks", after: undefined });
  const first = await catalogListPage(hq.sql, filter, { after });
  const next = await catalogListPage(hq.sql, filter, readListQuery({ category: "Drinks", after: first.next! }));
  expect(next.rows[0]!.item.sku).not.toBe(first.rows[49]!.item.sku);
  const plan = (
    await hq.sql.unsafe(
      `EXPLAIN SELECT item FROM catalog_products WHERE category = 'Drinks' AND (lower(name), sku) > ('bulk 5', 'BULK-5') ORDER BY lower(name), sku LIMIT 51`,
    )
  )
    .map((r) => String((r as unknown as Record<string, unknown>)["QUERY PLAN"]))
    .join("\n");
  expect(plan).toContain("catalog_products_by_category");
  expect(plan).not.toContain("Sort");
});
