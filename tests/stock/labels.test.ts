// Shelf labels in the back office, in-process on a real store database: a real PDF comes back (read again with pdf-lib:
// A4 pages of 24, the names, prices and SKUs in its text, a barcode image per label), chosen by ticks, pasted codes, a
// delivery, or "prices changed since" — which finds exactly the products whose price a manager's save, a CSV import or a
// new product changed that day. Bad days, unknown codes and too many labels are refused with a sentence; GET writes
// nothing; a cashier cannot reach any of it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import { importProductsCsv } from "../../src/server/catalog/import.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { fieldValue } from "../products/harness.ts";
import { readLabelsPdf } from "./labels-pdf.ts";

let t: TestStore;
let supervisor: SignedIn;
let manager: SignedIn;
let cashier: SignedIn;

/** The store's clock at `iso`, and everyone signed in afresh (a session left a day idle has ended). */
async function at(iso: string) {
  t.clock.current = new Date(iso);
  supervisor = await signIn(t.store, 1, { role: "supervisor", shift: false });
  manager = await signIn(t.store, 2, { role: "manager", shift: false });
  cashier = await signIn(t.store, 3, { role: "cashier", shift: false });
}

beforeAll(async () => {
  t = makeTestStore();
  await at("2026-11-25T10:00:00.000Z");
});
afterAll(() => t.close());

const get = (who: SignedIn, path: string) => Promise.resolve(t.app.request(path, { headers: { ...who.headers, Accept: "text/html" } }));
const post = (who: SignedIn, path: string, fields: Record<string, string>) =>
  Promise.resolve(
    t.app.request(path, {
      method: "POST",
      headers: { ...who.headers, Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'").replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x27;", "'");
const idOf = (sku: string) => t.store.catalog.bySku(sku)!.id;
const importCsv = (rows: string[], now: string) =>
  importProductsCsv(t.store.db, ["sku,barcode,name,price,tax class,unit/weighed", ...rows].join("\n"), { now });

/** The PDF of an answer, read back. */
async function readPdf(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/pdf");
  return readLabelsPdf(new Uint8Array(await res.arrayBuffer()));
}

describe("a PDF of shelf labels", () => {
  test("30 products: two A4 pages of 24 and 6, each label's name, price and SKU, a barcode each; nothing written", async () => {
    const rows = Array.from({ length: 24 }, (_, i) => `LBL-${String(i).padStart(2, "0")},,Label product ${i},${i + 1}.50,STD,unit`);
    expect(importCsv(rows, "2026-11-01T00:00:00.000Z").imported).toBe(24);
    const skus = ["MILK-1L", "BREAD-SOUR", "WINE-RED", "PAPER-DAILY", "APPLES-KG", "HAM-PACK", ...rows.map((r) => r.split(",")[0]!)];
    const before = footprint(t.store);
    const res = await get(supervisor, `/stock/labels/pdf?ids=${skus.map(idOf).join(",")}`);
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="shelf-labels-2026-11-25.pdf"');
    const pages = await readPdf(res);
    expect(pages.length).toBe(2);
    for (const p of pages) {
      expect(p.width).toBeCloseTo(595.28, 1);
      expect(p.height).toBeCloseTo(841.89, 1);
    }
    expect(pages.map((p) => p.images)).toEqual([24, 6]);
    const first = pages[0]!.text;
    expect(first).toContain("Fresh Milk 1 L");
    expect(first).toContain("€1.19");
    expect(first).toContain("MILK-1L");
    // weighed: the price is per kg, and the price per 100 g under it
    expect(first).toContain("Apples Braeburn (kg)");
    expect(first).toContain("€2.99");
    expect(first).toContain(" / kg");
    expect(first).toContain("€0.30 per 100 g");
    expect(first).toContain("Jamón Serrano pack");
    expect(pages[1]!.text).toContain("Label product 23");
    expect(pages[1]!.text).toContain("€24.50");
    expect(pages[1]!.text).not.toContain("Fresh Milk 1 L");
    expect(footprint(t.store)).toEqual(before);
  });

  test("a name the PDF's fonts cannot draw in full still makes its label", async () => {
    importCsv(["PIEROGI,,Łódź pierogi 🥟 ∑,8.99,STD,unit"], "2026-11-01T00:00:00.000Z");
    const [page] = await readPdf(await get(supervisor, `/stock/labels/pdf?ids=${idOf("PIEROGI")}`));
    expect(page!.text).toContain("Lódz pierogi");
    expect(page!.text).toContain("€8.99");
  });

  test("the page: Search keeps what is ticked; the form's PDF has the ticked, the pasted and the scanned, once each", async () => {
    const bread = idOf("BREAD-SOUR");
    const searched = await post(supervisor, "/stock/labels", { code: "milk", step: "search", [`pick_${bread}`]: "1", barcodes: "", since: "" });
    expect(searched.status).toBe(200);
    const html = await said(searched);
    expect(fieldValue(html, `pick_${bread}`)).toBe("1");
    const milk = idOf("MILK-1L");
    expect(html).toContain(`name="pick_${milk}"`);
    expect(fieldValue(html, `pick_${milk}`)).toBeNull(); // found, not ticked yet

    const before = footprint(t.store);
    const res = await post(supervisor, "/stock/labels", {
      step: "pdf",
      [`pick_${bread}`]: "1",
      [`pick_${milk}`]: "1",
      barcodes: [codes.wine, "PAPER-DAILY", codes.milk, ""].join("\n"),
      since: "",
    });
    expect(res.headers.get("Content-Disposition")).toContain("shelf-labels-2026-11-25.pdf");
    const pages = await readPdf(res);
    expect(pages.length).toBe(1);
    expect(pages[0]!.images).toBe(4);
    for (const name of ["Sourdough Bread 800 g", "Fresh Milk 1 L", "Rioja Crianza 0.75 L", "Daily Newspaper"]) expect(pages[0]!.text).toContain(name);
    expect(footprint(t.store)).toEqual(before);
  });

  test("a barcode scanned into the search finds its product, even one whose digits pass a card number's check", async () => {
    const luhn = (digits: string) =>
      [...digits].reverse().reduce((sum, ch, i) => sum + (i % 2 === 1 ? ((2 * Number(ch)) % 10) + Math.floor((2 * Number(ch)) / 10) : Number(ch)), 0) % 10 ===
      0;
    const code = Array.from({ length: 100 }, (_, i) => withCheckDigit(`5012345678${String(i).padStart(2, "0")}`)).find(luhn)!;
    expect(importCsv([`SCANNED-1,${code},Scanned Tea 20 bags,2.19,STD,unit`], "2026-11-01T00:00:00.000Z").imported).toBe(1);
    const res = await post(supervisor, "/stock/labels", { code, step: "search", barcodes: "", since: "" });
    expect(res.status).toBe(200);
    expect(await said(res)).toContain("Scanned Tea 20 bags");
  });
});

describe("prices changed since a day", () => {
  test("exactly the products whose price changed that day or later: a manager's save, an import, a new product", async () => {
    await at("2026-11-26T09:00:00.000Z");
    // a manager changes the milk's price on its page, and only the bread's name
    for (const [sku, field, value] of [
      ["MILK-1L", "price", "1.29"],
      ["BREAD-SOUR", "name", "Sourdough Loaf 800 g"],
    ] as const) {
      const pagePath = `/products/${idOf(sku)}`;
      const version = fieldValue(await (await get(manager, pagePath)).text(), "version")!;
      expect((await post(manager, pagePath, { version, [field]: value })).status).toBe(200);
    }
    expect(t.store.catalog.bySku("MILK-1L")!.price).toBe(129);
    // a CSV import: the wine's price changes, the newspaper is imported again at the price it had
    await at("2026-11-26T15:30:00.000Z");
    importCsv([`WINE-RED,${codes.wine},Rioja Crianza 0.75 L,13.49,STD,unit`, "PAPER-DAILY,,Daily Newspaper,2.50,ZERO,unit"], t.clock.now().toISOString());
    // a new product has no label yet either
    await at("2026-11-27T08:00:00.000Z");
    const added = await post(manager, "/products", { name: "Oat Drink 1 L", sku: "OAT-1L", barcode: "", price: "1.79", tax_class: "RED", category: "" });
    expect(added.status).toBeLessThan(400);

    const changedAt = (sku: string) => t.store.db.query<{ at: string }, [string]>("SELECT price_changed_at AS at FROM products WHERE sku = ?").get(sku)!.at;
    // the app's clock, which every writer of prices moved updated_at with
    expect(changedAt("MILK-1L")).toBe("2026-11-26T09:00:00.000Z");
    expect(changedAt("WINE-RED")).toBe("2026-11-26T15:30:00.000Z");
    expect(changedAt("BREAD-SOUR")).toBe("2026-11-01T00:00:00.000Z");
    expect(changedAt("PAPER-DAILY")).toBe("2026-11-01T00:00:00.000Z");

    const [page26] = await readPdf(await get(supervisor, "/stock/labels/pdf?since=2026-11-26"));
    const names = (text: string[]) =>
      text.filter((l) => ["Fresh Milk 1 L", "Rioja Crianza 0.75 L", "Oat Drink 1 L", "Sourdough Loaf 800 g", "Daily Newspaper"].includes(l));
    expect(names(page26!.text)).toEqual(["Fresh Milk 1 L", "Oat Drink 1 L", "Rioja Crianza 0.75 L"]);
    expect(page26!.images).toBe(3);
    expect(page26!.text).toContain("€1.29");
    const [page27] = await readPdf(await get(supervisor, "/stock/labels/pdf?since=2026-11-27"));
    expect(names(page27!.text)).toEqual(["Oat Drink 1 L"]);

    // the same from the page's form
    const [fromForm] = await readPdf(await post(supervisor, "/stock/labels", { step: "pdf", barcodes: "", since: "2026-11-26" }));
    expect(names(fromForm!.text)).toEqual(["Fresh Milk 1 L", "Oat Drink 1 L", "Rioja Crianza 0.75 L"]);

    const none = await get(supervisor, "/stock/labels/pdf?since=2026-11-28");
    expect(none.status).toBe(422);
    expect(await said(none)).toContain("No product on sale has had its price changed since 2026-11-28; there is nothing to label.");
  });

  test("a writer that changes the price but not updated_at is still seen (SQLite's own time)", () => {
    const before = t.store.db.query<{ at: string }, []>("SELECT price_changed_at AS at FROM products WHERE sku = 'HAM-PACK'").get()!.at;
    // no route changes a price without updated_at: this stands for a path yet to come
    t.store.db.run("UPDATE products SET price = price + 10 WHERE sku = 'HAM-PACK'");
    const after = t.store.db.query<{ at: string }, []>("SELECT price_changed_at AS at FROM products WHERE sku = 'HAM-PACK'").get()!.at;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe("links to labels", () => {
  test("a product's page links to its label; a delivery taken in links to its products' labels", async () => {
    const milk = idOf("MILK-1L");
    const productPage = await said(await get(manager, `/products/${milk}`));
    const link = /href="(\/stock\/labels\/pdf\?ids=\d+)"/.exec(productPage)?.[1];
    expect(link).toBe(`/stock/labels/pdf?ids=${milk}`);
    const pages = await readPdf(await get(manager, link!));
    expect(pages[0]!.text).toContain("Fresh Milk 1 L");

    const received = await post(supervisor, "/stock/deliveries", { supplier: "Dairy Co", items: `${codes.milk} x6\nWINE-RED x2`, step: "receive" });
    expect(received.status).toBe(303);
    const donePage = await said(await get(supervisor, received.headers.get("Location")!));
    const labels = /href="(\/stock\/labels\?delivery=[0-9a-f-]{36})"/.exec(donePage)?.[1];
    expect(labels).toBeDefined();
    const chosen = await said(await get(supervisor, labels!));
    expect(chosen).toContain("delivered by Dairy Co");
    expect(fieldValue(chosen, `pick_${milk}`)).toBe("1");
    expect(fieldValue(chosen, `pick_${idOf("WINE-RED")}`)).toBe("1");
    expect([...chosen.matchAll(/data-testid="labels-chosen-row"/g)].length).toBe(2);
  });
});

describe("refusals", () => {
  test("a day that is no date, unknown codes, nothing chosen: 422 with the sentence, the page as it was", async () => {
    const bread = idOf("BREAD-SOUR");
    const badDay = await post(supervisor, "/stock/labels", { step: "pdf", [`pick_${bread}`]: "1", barcodes: "", since: "2026-02-30" });
    expect(badDay.status).toBe(422);
    const html = await said(badDay);
    expect(html).toContain('"2026-02-30" is not a date; choose one like 2026-11-25');
    expect(fieldValue(html, `pick_${bread}`)).toBe("1");
    const badLink = await get(supervisor, "/stock/labels/pdf?since=yesterday");
    expect(badLink.status).toBe(422);
    expect(await said(badLink)).toContain('"yesterday" is not a date');

    const unknown = await post(supervisor, "/stock/labels", { step: "pdf", barcodes: `MILK-1L\nNOPE-1\n4006381333932`, since: "" });
    expect(unknown.status).toBe(422);
    const unknownHtml = await said(unknown);
    expect(unknownHtml).toContain("No product has the barcode or SKU NOPE-1, 4006381333932; correct or remove those lines.");
    expect(fieldValue(unknownHtml, "barcodes")).toBe("MILK-1L\nNOPE-1\n4006381333932");

    const nothing = await post(supervisor, "/stock/labels", { step: "pdf", barcodes: "", since: "" });
    expect(nothing.status).toBe(422);
    expect(await said(nothing)).toContain("Tick products, paste their codes or choose a day first");
    expect((await get(supervisor, "/stock/labels/pdf?ids=1,x")).status).toBe(422);
    expect((await get(supervisor, "/stock/labels/pdf?ids=999999")).status).toBe(422);
  });

  test("more than 2,000 labels: refused with the sentence, whether listed or changed since a day", async () => {
    const many = await get(supervisor, `/stock/labels/pdf?ids=${Array.from({ length: 2001 }, (_, i) => i + 1).join(",")}`);
    expect(many.status).toBe(422);
    expect(await said(many)).toContain("one PDF takes at most 2000");
    await at("2026-12-01T10:00:00.000Z");
    const rows = Array.from({ length: 2001 }, (_, i) => `BULK-${i},,Bulk item ${i},1.00,STD,unit`);
    expect(importCsv(rows, t.clock.now().toISOString()).imported).toBe(2001);
    const since = await post(supervisor, "/stock/labels", { step: "pdf", barcodes: "", since: "2026-12-01" });
    expect(since.status).toBe(422);
    expect(await said(since)).toContain("one PDF takes at most 2000. Choose fewer products, or a later date.");
  });

  test("a cashier cannot reach the page, the form or the PDF", async () => {
    for (const res of [
      await get(cashier, "/stock/labels"),
      await get(cashier, `/stock/labels/pdf?ids=${idOf("MILK-1L")}`),
      await post(cashier, "/stock/labels", { step: "pdf", barcodes: "MILK-1L", since: "" }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get("Content-Type")).not.toBe("application/pdf");
    }
  });
});
