// Catalog editing at head office: browse and search what was published, edits into one draft, publish it as one
// release (also scheduled), what stores then get, and everything that must be refused with nothing written.
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { createHqApp } from "../../src/sync/hq/app.ts";
import { draftChanges, draftFingerprint, publishDraft } from "../../src/sync/hq/catalog/draft.ts";
import { type CatalogProduct, orderForStores, publishRelease, ReleaseRefused } from "../../src/sync/hq/catalog/releases.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { TestClock } from "../helpers/store.ts";
import { csrfOf, errorCode, footprint, type Hq, signedIn, startHq, Visitor } from "./hq-support.ts";
import { chainTaxClasses, catalogProduct as product } from "./support.ts";

let hq: Hq;
let carl: Visitor;
let ada: Visitor;
let storeToken: string;
const dirs: string[] = [];

beforeAll(async () => {
  hq = await startHq();
  await publishRelease(
    hq.sql,
    {
      tax_classes: chainTaxClasses,
      products: [
        product({ sku: "MILK", barcode: "4000000000017", name: "Fresh Milk 1 L", price: 119, tax_class: "RED", category: "Dairy" }),
        product({ sku: "BREAD", barcode: "4000000000024", name: "Sourdough 800 g", price: 349, tax_class: "RED", category: "Bakery" }),
        product({ sku: "WINE", barcode: "4000000000037", name: "Rioja", price: 1299, tax_class: "STD", category: "Drinks" }),
      ],
    },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );
  storeToken = (await addStore(hq.sql, "Store 7")).token;
  carl = await signedIn(hq, "Carl", "catalog");
  ada = await signedIn(hq, "Ada", "admin");
}, 60_000);
afterAll(async () => {
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(async () => {
  await hq.sql`DELETE FROM catalog_draft_changes`;
});

const changesSince = async (since: number) =>
  (await (await hq.app.request(`/sync/v1/catalog/changes?since=${since}`, { headers: { Authorization: `Bearer ${storeToken}` } })).json()) as {
    latest: number;
    releases?: { version: number; effective_at: string; changes: { products: CatalogProduct[]; tax_classes: unknown[] } }[];
  };
const latest = async () => (await hq.sql<{ v: number }[]>`SELECT coalesce(max(version), 0) AS v FROM catalog_releases`)[0]!.v;

test("the catalog page shows what was published, and search narrows it (whole page or the htmx fragment)", async () => {
  const all = (await carl.page("/catalog")).html;
  for (const sku of ["MILK", "BREAD", "WINE"]) expect(all).toContain(`data-sku="${sku}"`);
  expect(all).toContain('data-code="STD"');
  const milk = (await carl.page("/catalog?q=milk")).html;
  expect(milk).toContain('data-sku="MILK"');
  expect(milk).not.toContain('data-sku="WINE"');
  expect((await carl.page("/catalog?q=4000000000037")).html).toContain('data-sku="WINE"');
  expect((await carl.page("/catalog?q=%25")).html).not.toContain("data-sku="); // % is a character, not a wildcard
  const fragment = await carl.request("GET", "/catalog?q=bakery", { headers: { "HX-Request": "true" } });
  const text = await fragment.text();
  expect(text).toStartWith('<div id="catalog-results">');
  expect(text).toContain('data-sku="BREAD"');
  expect(text).not.toContain("<html");
});

test("edits go into one draft shown old → new; publishing it scheduled makes one release the stores get, and clears the draft", async () => {
  const before = await latest();
  await carl.page("/catalog");
  expect((await carl.request("POST", "/catalog/products/MILK/price", { form: { price: "1.29" } })).status).toBe(303);
  expect(
    (
      await carl.request("POST", "/catalog/products", {
        form: { sku: "EGGS-6", name: "Eggs, six", barcode: "4000000000044", price: "2.5", tax_class: "RED", category: "Dairy", active: "on" },
      })
    ).status,
  ).toBe(303);
  expect((await carl.request("POST", "/catalog/products/BREAD/deactivate")).status).toBe(303);
  expect((await carl.request("POST", "/catalog/tax-classes/STD", { form: { name: "Standard", rate: "21" } })).status).toBe(303);
  expect((await carl.request("POST", "/catalog/tax-classes", { form: { code: "ZERO", name: "Zero rated", rate: "0" } })).status).toBe(303);
  // the same product edited again: still one change, the latest
  expect((await ada.request("POST", "/catalog/products/MILK/price", { form: { price: "1,35" }, csrf: csrfOf((await ada.page("/catalog")).html) })).status).toBe(
    303,
  );

  const draft = await draftChanges(hq.sql);
  expect(draft.map((d) => `${d.kind}:${d.key}`)).toEqual(["tax_class:STD", "tax_class:ZERO", "product:BREAD", "product:EGGS-6", "product:MILK"]);
  const milk = draft.find((d) => d.key === "MILK")!;
  expect(milk).toMatchObject({ changed_by: "Ada", item: { price: 135, name: "Fresh Milk 1 L", barcode: "4000000000017" } });
  expect(draft.find((d) => d.key === "EGGS-6")!.item).toMatchObject({ price: 250, tax_class: "RED", active: true, weighed: false });

  const page = await carl.page("/catalog/draft");
  const row = (key: string) =>
    page.html.slice(page.html.indexOf(`data-change="${key}"`), page.html.indexOf("</tr>", page.html.indexOf(`data-change="${key}"`)));
  expect(row("product:MILK")).toContain('<td class="old">1.19</td>');
  expect(row("product:MILK")).toContain(">1.35</td>");
  expect(row("tax_class:STD")).toContain('<td class="old">20 %</td>');
  expect(row("tax_class:STD")).toContain(">21 %</td>");
  expect(page.html).toContain("Ada, ");
  expect(page.html).toContain("Publish 5 changes");

  const monday = new Date(hq.clock.now().getTime() + 3 * 86_400_000);
  const at = monday.toISOString().slice(0, 16);
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page.html)![1]!;
  const res = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: at, effective_at_iso: "", note: "Monday prices" } });
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toBe(`/catalog/releases?published=${before + 1}`);
  expect(await draftChanges(hq.sql)).toEqual([]);

  const [release] = await hq.sql<{ version: number; effective_at: Date; note: string; published_by: string }[]>`
    SELECT version, effective_at, note, published_by FROM catalog_releases WHERE version = ${before + 1}`;
  expect(release).toMatchObject({ note: "Monday prices", published_by: "Carl" });
  expect(release!.effective_at.toISOString()).toBe(`${at}:00.000Z`); // no script: the typed time is UTC
  expect(await latest()).toBe(before + 1);

  // what a store pulling since the version before gets
  const pulled = await changesSince(before);
  expect(pulled.latest).toBe(before + 1);
  const r = pulled.releases!.find((x) => x.version === before + 1)!;
  expect(r.effective_at).toBe(`${at}:00.000Z`);
  const bySku = Object.fromEntries(r.changes.products.map((p) => [p.sku, p]));
  expect(bySku.MILK!.price).toBe(135);
  expect(bySku.BREAD!.active).toBe(false);
  expect(bySku["EGGS-6"]).toMatchObject({ price: 250, barcode: "4000000000044" });
  // each item says which fields it changes, so it takes effect field by field at the release's own time
  expect(r.changes.tax_classes).toEqual([
    { code: "STD", name: "Standard", rate_bp: 2100, changed: ["rate_bp"] },
    { code: "ZERO", name: "Zero rated", rate_bp: 0, changed: ["name", "rate_bp"] },
  ]);
  expect(bySku.MILK).toMatchObject({ changed: ["price"] });

  const history = (await carl.page(`/catalog/releases?published=${before + 1}`)).html;
  const line = history.slice(history.indexOf(`data-version="${before + 1}"`));
  expect(line.slice(0, line.indexOf("</tr>"))).toContain("scheduled");
  expect(line.slice(0, line.indexOf("</tr>"))).toContain("Carl");
  expect(line.slice(0, line.indexOf("</tr>"))).toContain("Monday prices");
  expect(history).toContain(`Release ${before + 1} published`);
  // the catalog shows the scheduled price as published, and the next draft says a release is scheduled
  expect((await carl.page("/catalog?q=milk")).html).toContain("from ");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "12.49" }, csrf: csrfOf((await carl.page("/catalog")).html) });
  expect((await carl.page("/catalog/draft")).html).toContain('data-testid="scheduled-note"');
});

test("the time the page's script sends wins over the typed one; a date that does not exist is refused", async () => {
  const before = await latest();
  await carl.page("/catalog");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "13.00" } });
  const fingerprint = draftFingerprint(await draftChanges(hq.sql));
  await carl.page("/catalog/draft");
  const bad = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: "2027-02-30T10:00", note: "" } });
  expect(bad.status).toBe(422);
  expect(await bad.text()).toContain('data-testid="effective_at-error"');
  expect(await latest()).toBe(before);
  const ok = await carl.request("POST", "/catalog/draft/publish", {
    form: { fingerprint, effective_at: "2027-03-01T10:00", effective_at_iso: "2027-03-01T09:00:00.000Z", note: "" },
  });
  expect(ok.status).toBe(303);
  const [r] = await hq.sql<{ effective_at: Date }[]>`SELECT effective_at FROM catalog_releases WHERE version = ${before + 1}`;
  expect(r!.effective_at.toISOString()).toBe("2027-03-01T09:00:00.000Z");
});

test("bad input is refused next to its field with a sentence, and nothing is written", async () => {
  await carl.page("/catalog");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "12.99" } });
  const before = await footprint(hq.sql);
  const cases: [string, Record<string, string>, string, string][] = [
    ["/catalog/products/MILK/price", { price: "2.499" }, "price", "at most 2 decimals"],
    ["/catalog/products/MILK/price", { price: "-1" }, "price", "cannot be negative"],
    ["/catalog/products/MILK/price", { price: "1e3" }, "price", "an amount like 2.49"],
    ["/catalog/products/MILK/price", { price: "" }, "price", "Type a price"],
    ["/catalog/products/MILK/price", { price: "99999999999" }, "price", "too large"],
    ["/catalog/products/MILK", { name: "", price: "1.00", tax_class: "RED" }, "name", "A name of 1 to 200"],
    ["/catalog/products/MILK", { name: "Milk", barcode: "1234567", price: "1.00", tax_class: "RED" }, "barcode", "has 7 digits; a barcode has 8, 12, 13 or 14"],
    ["/catalog/products/MILK", { name: "Milk", barcode: "4000000000037", price: "1.00", tax_class: "RED" }, "barcode", "belongs to product WINE"],
    ["/catalog/products/MILK", { name: "Milk", price: "1.00", tax_class: "NOPE" }, "tax_class", "does not exist"],
    ["/catalog/products", { sku: "MILK", name: "Milk", price: "1.00", tax_class: "RED" }, "sku", "edit it instead"],
    ["/catalog/products", { sku: "two words", name: "X", price: "1.00", tax_class: "RED" }, "sku", "without spaces"],
    ["/catalog/tax-classes", { code: "STD", name: "Again", rate: "5" }, "code", "exists already"],
    ["/catalog/tax-classes", { code: "bad code", name: "Bad", rate: "5" }, "code", "letters, digits"],
    ["/catalog/tax-classes/RED", { name: "Reduced", rate: "101" }, "rate", "from 0 to 100"],
    ["/catalog/tax-classes/RED", { name: "Reduced", rate: "7.555" }, "rate", "from 0 to 100"],
  ];
  for (const [path, form, field, sentence] of cases) {
    const res = await carl.request("POST", path, { form });
    const html = await res.text();
    expect([path, field, res.status]).toEqual([path, field, 422]);
    const error = new RegExp(`data-testid="${field}-error">([^<]*)<`).exec(html)?.[1] ?? "";
    expect([path, field, error]).toEqual([path, field, expect.stringContaining(sentence)]);
    expect(html).toContain(`aria-invalid="true"`);
  }
  // unknown products and tax classes are 404 with a code and a sentence
  for (const path of ["/catalog/products/NOPE/price", "/catalog/products/NOPE/deactivate", "/catalog/tax-classes/NOPE"]) {
    const res = await carl.request("POST", path, { form: { price: "1.00", name: "X", rate: "1" } });
    expect([path, res.status]).toEqual([path, 404]);
    expect(await errorCode(res)).toMatch(/_not_found$/);
  }
  expect(await footprint(hq.sql)).toEqual(before);
});

test("catalog text goes through the text gate, in the dashboard and in a release file; a SKU may look like a card number", async () => {
  const card = "4111 1111 1111 1111";
  await carl.page("/catalog");
  const before = await footprint(hq.sql);
  // a tax class code is a code, but not one that may spell a card number
  const code = await carl.request("POST", "/catalog/tax-classes", { form: { code: card.replaceAll(" ", ""), name: "Card", rate: "0" } });
  expect(code.status).toBe(422);
  expect(/data-testid="code-error">([^<]*)</.exec(await code.text())?.[1]).toContain("looks like a card number");
  expect(await footprint(hq.sql)).toEqual(before);

  // `shopflow hq release --file` publishes what the file says: each text through the same gate, nothing written when one fails
  const versions = await latest();
  const bad: [string, unknown, string][] = [
    ["a card number in a name", { products: [product({ sku: "GIFT", name: `Gift card ${card.replaceAll(" ", ".")}` })] }, "products.0.name"],
    ["fullwidth digits in a category", { products: [product({ sku: "GIFT", category: "４１１１ １１１１ １１１１ １１１１" })] }, "products.0.category"],
    ["a direction override in a name", { products: [product({ sku: "GIFT", name: "Milk \u202eklim" })] }, "products.0.name"],
    ["a NUL in a tax class name", { tax_classes: [{ code: "NUL", name: "Zero\u0000", rate_bp: 0 }] }, "tax_classes.0.name"],
    ["a card number as a tax class code", { tax_classes: [{ code: "4111111111111111", name: "Zero", rate_bp: 0 }] }, "tax_classes.0.code"],
    ["a line break in a product's tax class", { products: [product({ sku: "GIFT", tax_class: "STD\n" })] }, "products.0.tax_class"],
  ];
  for (const [why, changes, path] of bad) {
    const refused = await publishRelease(hq.sql, changes, new Date()).then(
      () => null,
      (e: unknown) => e,
    );
    expect([why, refused instanceof ReleaseRefused]).toEqual([why, true]);
    expect([why, (refused as Error).message]).toEqual([why, expect.stringContaining(path)]);
  }
  const note = await publishRelease(hq.sql, { products: [product({ sku: "GIFT" })] }, new Date(), `card ${card}`).then(
    () => null,
    (e: unknown) => e,
  );
  expect(note).toBeInstanceOf(ReleaseRefused);
  expect(await latest()).toBe(versions);
  expect(await footprint(hq.sql)).toEqual(before);

  // a SKU may pass the check digit of a card number by chance: it is a code, and kept
  const r = await publishRelease(hq.sql, { products: [product({ sku: card.replaceAll(" ", ""), name: "Gift voucher" })] }, new Date());
  expect(r.version).toBe(versions + 1);
});

test("prices are read as decimals in the currency's own minor units, never as floats", async () => {
  const yen = createHqApp(hq.sql, "test", { clock: new TestClock(new Date()), currency: "JPY", allowedHosts: ["hq.test"] });
  const v = new Visitor({ app: yen });
  await v.signIn("Carl", "Carl-password-1");
  await v.page("/catalog");
  expect((await v.request("POST", "/catalog/products/MILK/price", { form: { price: "2.49" } })).status).toBe(422);
  expect((await v.request("POST", "/catalog/products/MILK/price", { form: { price: "249" } })).status).toBe(303);
  expect((await draftChanges(hq.sql)).find((d) => d.key === "MILK")!.item).toMatchObject({ price: 249 });
  await carl.page("/catalog");
  // 0.1 + 0.2 style: 4.35 * 100 is 434.99999999999994 as a float
  expect((await carl.request("POST", "/catalog/products/MILK/price", { form: { price: "4.35" } })).status).toBe(303);
  expect((await draftChanges(hq.sql)).find((d) => d.key === "MILK")!.item).toMatchObject({ price: 435 });
});

test("two people publishing one draft at once make one release; the other is told the draft is gone", async () => {
  await carl.page("/catalog");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "14.00" } });
  const before = await latest();
  await carl.page("/catalog/draft");
  const adaPage = await ada.page("/catalog/draft");
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(adaPage.html)![1]!;
  const [a, b] = await Promise.all([
    carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: "", note: "Carl" } }),
    ada.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: "", note: "Ada" } }),
  ]);
  expect([a.status, b.status].sort()).toEqual([303, 409]);
  const loser = a.status === 409 ? a : b;
  expect(await loser.text()).toContain("The draft is empty");
  expect(await latest()).toBe(before + 1);

  // and many at once through the function itself: one release
  await carl.page("/catalog");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "14.50" } });
  const fp = draftFingerprint(await draftChanges(hq.sql));
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, (_, i) => publishDraft(hq.sql, { effectiveAt: new Date(), note: `p${i}`, publishedBy: "Ada", fingerprint: fp })),
  );
  expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
  expect(results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as { code: string }).code)).toEqual(
    Array(5).fill("draft_empty"),
  );
  expect(await latest()).toBe(before + 2);
  const [count] = await hq.sql<{ n: number }[]>`SELECT count(*) AS n FROM catalog_releases WHERE version > ${before}`;
  expect(count!.n).toBe(2);
});

test("a draft changed after it was looked at is not published unseen", async () => {
  await carl.page("/catalog");
  await carl.request("POST", "/catalog/products/WINE/price", { form: { price: "15.00" } });
  const seen = await carl.page("/catalog/draft");
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(seen.html)![1]!;
  await ada.request("POST", "/catalog/products/MILK/price", { form: { price: "9.99" }, csrf: csrfOf((await ada.page("/catalog")).html) });
  const before = await latest();
  const res = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: "", note: "" } });
  expect(res.status).toBe(409);
  expect(await res.text()).toContain("The draft changed since you looked at it");
  expect(await latest()).toBe(before);
  expect((await draftChanges(hq.sql)).map((d) => d.key)).toEqual(["MILK", "WINE"]);
  // discarding what was not seen is refused too; with the current fingerprint it goes
  const discardOld = await carl.request("POST", "/catalog/draft/discard", { form: { fingerprint } });
  expect(discardOld.status).toBe(409);
  expect((await draftChanges(hq.sql)).length).toBe(2);
  const now = await carl.page("/catalog/draft");
  const fresh = /name="fingerprint" value="([^"]+)"/.exec(now.html)![1]!;
  expect((await carl.request("POST", "/catalog/draft/remove", { form: { kind: "product", key: "MILK" } })).status).toBe(200);
  expect((await draftChanges(hq.sql)).map((d) => d.key)).toEqual(["WINE"]);
  expect((await carl.request("POST", "/catalog/draft/discard", { form: { fingerprint: fresh } })).status).toBe(409); // it changed again
  const last = /name="fingerprint" value="([^"]+)"/.exec((await carl.page("/catalog/draft")).html)![1]!;
  expect((await carl.request("POST", "/catalog/draft/discard", { form: { fingerprint: last } })).status).toBe(200);
  expect(await draftChanges(hq.sql)).toEqual([]);
  expect(await latest()).toBe(before);
});

test("a draft the stores could not apply is refused at publishing, and the draft is kept", async () => {
  // written behind the forms' back: a product whose tax class no release defines
  await hq.sql`INSERT INTO catalog_draft_changes (kind, key, item, changed_by) VALUES
    ('product', 'GHOST', ${hq.sql.json(product({ sku: "GHOST", tax_class: "GONE" }) as never)}, 'test')`;
  const before = await latest();
  const page = await carl.page("/catalog/draft");
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page.html)![1]!;
  const res = await carl.request("POST", "/catalog/draft/publish", { form: { fingerprint, effective_at: "", note: "" } });
  expect(res.status).toBe(422);
  expect(await res.text()).toContain("uses tax class GONE, which no release defines");
  expect(await latest()).toBe(before);
  expect((await draftChanges(hq.sql)).map((d) => d.key)).toEqual(["GHOST"]);
});

test("barcodes stay unique at the stores: a release that hands one over is ordered, one that swaps is refused", () => {
  const current = new Map<string, string | null>([
    ["A", "11111111"],
    ["B", null],
    ["C", "22222222"],
  ]);
  // B takes A's barcode while A gives it up: A must come first whatever order the release had
  const ordered = orderForStores([product({ sku: "B", barcode: "11111111" }), product({ sku: "A", barcode: null })], current);
  expect(ordered.map((p) => p.sku)).toEqual(["A", "B"]);
  expect(() => orderForStores([product({ sku: "B", barcode: "22222222" })], current)).toThrow(ReleaseRefused);
  expect(() => orderForStores([product({ sku: "A", barcode: "22222222" }), product({ sku: "C", barcode: "11111111" })], current)).toThrow(/trade barcodes/);
});

test("a new store gets the catalog as in effect now, scheduled releases when due, and a barcode moved between products", async () => {
  await publishRelease(
    hq.sql,
    {
      products: [
        product({ sku: "NEWMILK", barcode: "4000000000017", tax_class: "RED" }),
        // its price as published last (Monday's), as the draft would carry it: the price is not what this release changes
        product({ sku: "MILK", barcode: null, name: "Old milk", tax_class: "RED", active: false, price: 135 }),
      ],
    },
    new Date(Date.now() - 1000),
    "",
    "test",
  );
  const dir = mkdtempSync(join(tmpdir(), "shopflow-hq-catalog-"));
  dirs.push(dir);
  const clock = new TestClock(new Date());
  const store = openShop({
    dataDir: dir,
    clock,
    fetch: ((input: string | URL | Request, init?: RequestInit) => hq.app.request(String(input), init)) as typeof fetch,
  });
  try {
    writeSetting(store.db, "hq_url", "http://hq.test");
    writeSetting(store.db, "hq_store_id", "0190f4f2-0000-7000-8000-000000000000");
    writeSetting(store.db, "hq_token", storeToken);
    await store.catalogReleases.pull();
    // the Monday prices published above are not in effect yet: the store has the opening price, and keeps them waiting
    expect(store.catalog.bySku("MILK")?.price).toBe(119);
    expect(store.catalogReleases.health().pending.length).toBeGreaterThan(0);
    clock.advance(2 * 366 * 86_400_000); // past every scheduled release of this file
    await store.catalogReleases.pull();
    expect(store.catalogReleases.version()).toBe(await latest());
    expect(store.catalogReleases.health().pending).toEqual([]);
    expect(store.catalog.bySku("NEWMILK")?.barcode).toBe("4000000000017");
    expect(store.catalog.bySku("MILK")?.barcode ?? null).toBeNull();
  } finally {
    store.close();
  }
});
