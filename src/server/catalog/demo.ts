// A made-up but believable European grocery catalog for `shopflow serve --demo`, the same on every machine.
import type { Database } from "bun:sqlite";
import { withCheckDigit } from "../../domain/kernel/barcode.ts";
import { seededRandom } from "../../domain/kernel/random.ts";
import { type Department, departments, type ShelfLine, type TaxCode, type WeighedLine } from "./demo-shelf.ts";

export const demoTaxClasses = [
  { code: "STD", name: "Standard", rateBp: 2000 },
  { code: "RED", name: "Reduced", rateBp: 1000 },
  { code: "ZERO", name: "Zero", rateBp: 0 },
] as const;

const demoSeed = 0x5_40_f1_0e;

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const shopEndings = [49, 99, 99, 49, 29, 79, 19, 69, 89, 39];

/** A price as shops write them: whole euros and a familiar ending (1.49, 2.99). */
function shopPrice(rng: Rng, [lo, hi]: [number, number], sizeStep: number): number {
  const raw = between(rng, lo, hi) * (1 + 0.85 * sizeStep);
  return Math.floor(raw / 100) * 100 + pick(rng, shopEndings);
}

type BarcodeBook = ReturnType<typeof barcodeBook>;

/**
 * EAN-13 numbers nobody else uses: each brand gets a made-up GS1 company prefix (country + 4 digits) and numbers
 * its items itself; weighed goods get restricted-circulation base codes (value digits zero) that label scales extend.
 */
function barcodeBook() {
  const countries = ["400", "590", "300", "840", "800", "870", "570", "760"];
  const perBrand = new Map<number, number>();
  const weighedCount = { weight: 0, price: 0 };
  const weighedPrefixes = { weight: ["23", "24", "25"], price: ["21", "22"] };
  // 7919 is coprime to 100,000, so stepping by it visits every item number once before repeating.
  const itemNumber = (n: number, offset: number) => String(((n % 100_000) * 7919 + offset) % 100_000).padStart(5, "0");
  return {
    packaged(brand: number): string {
      const n = perBrand.get(brand) ?? 0;
      perBrand.set(brand, n + 1);
      const company = 1000 + brand + 500 * Math.floor(n / 100_000);
      if (company > 9999) throw new RangeError("demo catalog: too many products for one brand");
      return withCheckDigit(countries[brand % countries.length]! + String(company) + itemNumber(n, brand * 131));
    },
    weighed(code: "weight" | "price"): string {
      const n = weighedCount[code]++;
      const prefix = weighedPrefixes[code][Math.floor(n / 100_000)];
      if (!prefix) throw new RangeError("demo catalog: too many weighed products for restricted-circulation codes");
      return withCheckDigit(`${prefix + itemNumber(n, 0)}00000`);
    },
  };
}

/** One product the shelf could hold: a line with its brand, kind and size chosen, or a weighed line and its kind. */
type Choice = { shelf: ShelfLine; brand: string; kind: string; size: number } | { weighed: WeighedLine; kind: string; organic: boolean };

const lineOf = (c: Choice) => ("shelf" in c ? c.shelf : c.weighed);

function shelfChoices(d: Department): Choice[] {
  return d.shelf.flatMap((line) =>
    (line.brands ?? d.brands).flatMap((brand) =>
      (line.kinds.length ? line.kinds : [""]).flatMap((kind) => line.sizes.map((_, size) => ({ shelf: line, brand, kind, size }))),
    ),
  );
}

function weighedChoices(d: Department): Choice[] {
  return d.weighed.flatMap((line) =>
    line.kinds.flatMap((kind) => (line.label.code === "weight" ? [false, true] : [false]).map((organic) => ({ weighed: line, kind, organic }))),
  );
}

function shuffle<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Draws choices in a shuffled order without repeats until all are used, then starts a new round. The first round
 * puts one choice of every line up front, so even a small demo has müsli, loose apples and a newspaper.
 */
function drawer(rng: Rng, choices: readonly Choice[]): () => Choice | null {
  if (choices.length === 0) return () => null;
  const shuffled = shuffle(rng, choices);
  const lines = new Set<object>();
  const firsts = new Set<Choice>();
  for (const c of shuffled) {
    if (lines.has(lineOf(c))) continue;
    lines.add(lineOf(c));
    firsts.add(c);
  }
  let order = [...firsts, ...shuffled.filter((c) => !firsts.has(c))];
  let next = 0;
  return () => {
    if (next === order.length) {
      order = shuffle(rng, choices);
      next = 0;
    }
    return order[next++]!;
  };
}

type DemoProduct = { name: string; price: number; tax: TaxCode; weighed: boolean; stockMilli: number; barcode: string };

function makeProduct(rng: Rng, dept: Department, choice: Choice, barcodes: BarcodeBook, brandIndex: Map<string, number>): DemoProduct {
  const soldOut = rng() < 0.04;
  if ("weighed" in choice) {
    const w = choice.weighed;
    const name = `${choice.organic ? "Organic " : ""}${[w.name, choice.kind].filter(Boolean).join(" ")} (${w.label.text})`;
    return {
      name,
      price: shopPrice(rng, w.centsPerKg, 0),
      tax: dept.tax,
      weighed: true,
      stockMilli: soldOut ? 0 : between(rng, 2_000, 40_000),
      barcode: barcodes.weighed(w.label.code),
    };
  }
  const s = choice.shelf;
  return {
    name: [choice.brand, choice.kind, s.name, s.sizes[choice.size]].filter(Boolean).join(" "),
    price: shopPrice(rng, s.cents, choice.size),
    tax: s.tax ?? dept.tax,
    weighed: false,
    stockMilli: soldOut ? 0 : between(rng, 1, 150) * 1000,
    barcode: barcodes.packaged(brandIndex.get(choice.brand)!),
  };
}

/**
 * Fill an empty store with a demo catalog: departments, three tax classes, store name and currency, and
 * `products` products (default 2,000). A store that already has products is left as it is.
 */
export function seedDemoCatalog(db: Database, options: { products?: number; now: string }): { products: number } {
  const count = options.products ?? 2_000;
  const seed = db.transaction((): number => {
    if (db.query("SELECT 1 FROM products LIMIT 1").get()) return 0;

    const addTaxClass = db.prepare("INSERT OR IGNORE INTO tax_classes(code, name, rate_bp) VALUES (?, ?, ?)");
    for (const t of demoTaxClasses) addTaxClass.run(t.code, t.name, t.rateBp);
    const addSetting = db.prepare("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)");
    addSetting.run("store_name", "ShopFlow Demo Store");
    addSetting.run("currency", "EUR");

    const addCategory = db.prepare("INSERT OR IGNORE INTO categories(name) VALUES (?)");
    const categoryId = db.query<{ id: number }, [string]>("SELECT id FROM categories WHERE name = ?");
    const departmentIds = departments.map((d) => {
      addCategory.run(d.name);
      return categoryId.get(d.name)!.id;
    });

    const brandIndex = new Map<string, number>();
    for (const d of departments) {
      for (const b of [...d.brands, ...d.shelf.flatMap((s) => s.brands ?? [])]) if (!brandIndex.has(b)) brandIndex.set(b, brandIndex.size);
    }

    const rng = seededRandom(demoSeed);
    const pools = departments.map((d) => ({ shelf: drawer(rng, shelfChoices(d)), weighed: drawer(rng, weighedChoices(d)) }));
    const totalShare = departments.reduce((sum, d) => sum + d.share, 0);
    const barcodes = barcodeBook();

    // Rows go to a temporary table first and reach products in one statement: the search index then takes them
    // in one go, where a statement per row makes FTS5 write its pending terms to disk row by row (5x slower).
    db.exec("DROP TABLE IF EXISTS temp.demo_products");
    db.exec(`CREATE TEMP TABLE demo_products(barcode TEXT, name TEXT, price INTEGER, tax_class TEXT,
      category_id INTEGER, stock_milli INTEGER, weighed INTEGER)`);
    const addProduct = db.prepare("INSERT INTO temp.demo_products VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (let i = 0; i < count; i++) {
      const d = pickDepartment(rng, totalShare);
      const dept = departments[d]!;
      const pool = pools[d]!;
      const choice = (rng() < dept.weighedShare ? pool.weighed() : null) ?? pool.shelf()!;
      const p = makeProduct(rng, dept, choice, barcodes, brandIndex);
      addProduct.run(p.barcode, p.name, p.price, p.tax, departmentIds[d]!, p.stockMilli, p.weighed ? 1 : 0);
    }
    // SKUs are numbered by department and name, as a shop's item list reads; inserting in that order also keeps
    // the category index growing at its end (a million products in half the time).
    db.query(
      `INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at)
       SELECT printf('SKU-%06d', row_number() OVER shelf_order), barcode, name, price, tax_class, category_id,
              stock_milli, weighed, ?
       FROM temp.demo_products WINDOW shelf_order AS (ORDER BY category_id, name, rowid) ORDER BY category_id, name, rowid`,
    ).run(options.now);
    db.exec("DROP TABLE temp.demo_products");
    return count;
  });
  return { products: seed.immediate() };
}

function pickDepartment(rng: Rng, totalShare: number): number {
  let r = rng() * totalShare;
  for (let d = 0; d < departments.length - 1; d++) {
    r -= departments[d]!.share;
    if (r < 0) return d;
  }
  return departments.length - 1;
}
