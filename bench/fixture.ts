// The store a bench run works on: a seeded 100,000-product catalog in a temp dir, a token, and a copy for the floor.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultEmbeddedPatterns, readEmbedded } from "../src/domain/kernel/barcode.ts";
import { createToken } from "../src/server/api/tokens.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { databasePath, openShop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { progress, round, seededRandom } from "./stats.ts";

/** A product the workload may sell or look up: sold by the unit, with a plain (not price/weight-embedded) barcode. */
export type UnitProduct = { barcode: string; price: number };

export type Fixture = {
  /** The data dir the server runs on. */
  dataDir: string;
  /** A byte copy of the store taken before the server started: the floor sells on it, untouched by HTTP sales. */
  floorDataDir: string;
  token: string;
  registerId: number;
  products: number;
  unitProducts: UnitProduct[];
  /** Highest tax rate in the catalog, so a cash tender covers a tax-exclusive total too. */
  maxRateBp: number;
  searchTerms: string[];
  seedMs: number;
  remove(): void;
};

// Words people type into a type-ahead box: whole or partial, one or two words.
const typedTerms = ["mil", "choc bar", "apple j", "bread", "chees", "wat", "coff", "orange ju", "yog", "pas", "tea", "bis"];

/** Partial words as a cashier types them, taken from real product names so most searches find something. */
function termsFromNames(names: string[], count: number, random: () => number): string[] {
  const terms: string[] = [];
  for (let i = 0; i < names.length * 4 && terms.length < count; i++) {
    const words = names[Math.floor(random() * names.length)]!.toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3 && !/^\d/.test(w));
    if (words.length === 0) continue;
    const first = words[Math.floor(random() * words.length)]!;
    if (words.length > 1 && random() < 0.4) {
      const second = words[(words.indexOf(first) + 1) % words.length]!;
      terms.push(`${first} ${second.slice(0, 1 + Math.floor(random() * second.length))}`);
    } else {
      terms.push(first.slice(0, Math.min(first.length, 3 + Math.floor(random() * 3))));
    }
  }
  return terms;
}

export function prepareFixture(options: { products: number; root?: string }): Fixture {
  const root = mkdtempSync(join(options.root ?? tmpdir(), "shopflow-bench-"));
  const dataDir = join(root, "store");
  const floorDataDir = join(root, "floor");
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    const store = openShop({ dataDir });
    const at = store.clock.now().toISOString();
    progress(`seeding ${options.products} products in ${dataDir}`);
    const t0 = performance.now();
    const seeded = seedDemoCatalog(store.db, { products: options.products, now: at });
    const seedMs = performance.now() - t0;
    progress(`seeded ${seeded.products} products in ${Math.round(seedMs)} ms`);
    // Stock must never block or warn: the bench measures selling, not stock-outs.
    writeSetting(store.db, "negative_stock", "allow");
    const { token, registerId } = createToken(store.db, "Bench", at);

    const rows = store.db
      .query<{ barcode: string; price: number; name: string }, []>(
        "SELECT barcode, price, name FROM products WHERE weighed = 0 AND active = 1 AND barcode IS NOT NULL AND price > 0 ORDER BY id",
      )
      .all();
    const unitProducts = rows.filter((r) => readEmbedded(r.barcode, defaultEmbeddedPatterns) === null).map((r) => ({ barcode: r.barcode, price: r.price }));
    const maxRateBp = store.db.query<{ m: number | null }, []>("SELECT max(rate_bp) AS m FROM tax_classes").get()?.m ?? 0;
    const random = seededRandom(7);
    const searchTerms = [
      ...typedTerms,
      ...termsFromNames(
        rows.map((r) => r.name),
        48,
        random,
      ),
    ];
    const products = store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM products").get()!.n;
    store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    store.close();
    if (unitProducts.length < 100) throw new Error(`the demo catalog has only ${unitProducts.length} unit products with plain barcodes`);

    // Closed and checkpointed, no connection open: copying the files gives a consistent second store.
    mkdirSync(floorDataDir, { recursive: true });
    for (const suffix of ["", "-wal"]) {
      if (existsSync(databasePath(dataDir) + suffix)) copyFileSync(databasePath(dataDir) + suffix, databasePath(floorDataDir) + suffix);
    }

    return { dataDir, floorDataDir, token, registerId, products, unitProducts, maxRateBp, searchTerms, seedMs: round(seedMs, 0), remove };
  } catch (e) {
    remove();
    throw e;
  }
}
