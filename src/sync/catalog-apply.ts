// The store applying one head-office catalog release, field by field. Releases take effect at their own effective
// times (a price fix published today does not wait behind Monday's prices), by the rule head office folds with too
// (sync/hq/catalog/schedule.ts): each field of a product or tax class holds the value from the release, among those
// in effect, with the latest effective time; at equal times the higher version. So a release applied after another
// with a later effective time (it came late, or failed and was tried again) leaves alone the fields that one set.
// A product whose barcode another product of this store already holds is applied without that barcode and kept as a
// catalog problem: shown at the store and reported to head office, never a reason to stop taking later releases.
// Head office's price lists, by the same rule: this store's own prices (store_prices) hold over its region's
// (region_prices), both over the chain's, whose price is kept under them (chain_prices), so going back loses nothing.
import type { Database } from "bun:sqlite";
import {
  type CatalogChanges,
  catalogChanges,
  CATALOG_PRODUCT_FIELDS as PRODUCT_FIELDS,
  CATALOG_TAX_CLASS_FIELDS as TAX_CLASS_FIELDS,
} from "./catalog-contracts.ts";
import { readAs } from "./contracts.ts";

/** When a release takes effect, and its version for releases taking effect at the same time. */
export type Stamp = { effective_at: string; version: number };

type ProductRecord = Omit<CatalogChanges["products"][number], "changed" | "sku">;

const covers = (changed: string[] | undefined, all: readonly string[]) => changed === undefined || all.every((f) => changed.includes(f));

export function catalogApplier(db: Database) {
  const laterApplied = db.query<{ changes: string }, [string, number]>(
    "SELECT changes FROM catalog_release_log WHERE applied_at IS NOT NULL AND (effective_at, version) > (?, ?)",
  );
  const taxOf = db.query<{ name: string; rate_bp: number }, [string]>("SELECT name, rate_bp FROM tax_classes WHERE code = ?");
  const tax = db.query(
    "INSERT INTO tax_classes(code, name, rate_bp) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp",
  );
  const productOf = db.query<Omit<ProductRecord, "weighed" | "active"> & { weighed: number; active: number }, [string]>(
    `SELECT p.barcode, p.name, p.price, p.tax_class, c.name AS category, p.weighed, p.active
     FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.sku = ?`,
  );
  const category = db.query("INSERT INTO categories(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
  const categoryId = db.query<{ id: number }, [string]>("SELECT id FROM categories WHERE name = ?");
  const holder = db.query<{ sku: string; name: string }, [string, string]>("SELECT sku, name FROM products WHERE barcode = ? AND sku <> ?");
  const currentBarcode = db.query<{ barcode: string | null }, [string]>("SELECT barcode FROM products WHERE sku = ?");
  const product =
    db.query(`INSERT INTO products(sku, barcode, name, price, tax_class, category_id, weighed, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET barcode = excluded.barcode, name = excluded.name, price = excluded.price, tax_class = excluded.tax_class,
      category_id = excluded.category_id, weighed = excluded.weighed, active = excluded.active, updated_at = excluded.updated_at`);
  const solved = db.query("DELETE FROM catalog_problems WHERE sku = ?");
  const prices = priceLayers(db);
  const problem = db.query(`INSERT INTO catalog_problems(sku, version, barcode, held_by_sku, held_by_name, at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET version = excluded.version, barcode = excluded.barcode, held_by_sku = excluded.held_by_sku, held_by_name = excluded.held_by_name, at = excluded.at`);

  /** The fields that releases already in effect here with a later stamp set, by "p:SKU" and "t:CODE". */
  function takenLater(stamp: Stamp): Map<string, Set<string>> {
    const taken = new Map<string, Set<string>>();
    const add = (key: string, fields: readonly string[]) => {
      const set = taken.get(key) ?? new Set<string>();
      for (const f of fields) set.add(f);
      taken.set(key, set);
    };
    for (const row of laterApplied.all(stamp.effective_at, stamp.version)) {
      const c = readAs(catalogChanges, JSON.parse(row.changes), "a kept catalog release");
      for (const t of c.tax_classes) add(`t:${t.code}`, t.changed ?? TAX_CLASS_FIELDS);
      for (const p of c.products) add(`p:${p.sku}`, p.changed ?? PRODUCT_FIELDS);
      for (const o of c.store_prices ?? []) add(`s:${o.sku}`, ["price"]);
      for (const o of c.region_prices ?? []) add(`r:${o.sku}`, ["price"]);
    }
    return taken;
  }

  /**
   * Apply a release inside the caller's transaction. `stamp` null: a snapshot, the catalog in effect when head office
   * made it, older than every release the store keeps (so releases still to come lay over it).
   */
  function applyRelease(version: number, changes: CatalogChanges, stamp: Stamp | null, at: string): void {
    const later = stamp ? takenLater(stamp) : new Map<string, Set<string>>();
    const fieldsOf = (changed: string[] | undefined, all: readonly string[], key: string) =>
      (changed ?? all).filter((f) => all.includes(f) && !later.get(key)?.has(f));

    for (const t of changes.tax_classes) {
      const fields = fieldsOf(t.changed, TAX_CLASS_FIELDS, `t:${t.code}`);
      if (fields.length === 0) continue;
      const had = taxOf.get(t.code);
      // a tax class the store does not have comes with the release that makes it, not with a later edit of it
      if (!had && !covers(t.changed, TAX_CLASS_FIELDS)) continue;
      const next = had ? { ...had } : { name: t.name, rate_bp: t.rate_bp };
      if (fields.includes("name")) next.name = t.name;
      if (fields.includes("rate_bp")) next.rate_bp = t.rate_bp;
      tax.run(t.code, next.name, next.rate_bp);
    }

    for (const p of changes.products) {
      const fields = fieldsOf(p.changed, PRODUCT_FIELDS, `p:${p.sku}`);
      if (fields.length === 0) continue;
      let rec: ProductRecord = p;
      if (fields.length < PRODUCT_FIELDS.length) {
        const had = productOf.get(p.sku);
        // likewise a product: a price fix for one scheduled to appear on Monday does not bring it in early
        if (!had && !covers(p.changed, PRODUCT_FIELDS)) continue;
        if (had) {
          const merged: Record<string, unknown> = { ...had, weighed: had.weighed === 1, active: had.active === 1 };
          for (const f of fields) merged[f] = p[f as keyof ProductRecord];
          rec = merged as ProductRecord;
        }
      }
      let barcode = rec.barcode;
      if (fields.includes("barcode")) {
        const held = barcode ? holder.get(barcode, p.sku) : null;
        if (held && barcode) {
          // the store's own product keeps its barcode; this one keeps the barcode it had (if still its own), or none
          const had = currentBarcode.get(p.sku)?.barcode ?? null;
          barcode = had !== null && had !== barcode && !holder.get(had, p.sku) ? had : null;
          problem.run(p.sku, version, p.barcode, held.sku, held.name, at);
        } else {
          solved.run(p.sku);
        }
      }
      let cat: number | null = null;
      if (rec.category) {
        category.run(rec.category);
        cat = categoryId.get(rec.category)!.id;
      }
      // a price of this store's own or of its region holds over the chain's, which is kept under it
      const over = prices.over(p.sku);
      if (over !== null && (fields.includes("price") || !prices.chainOf(p.sku))) prices.keepChain(p.sku, rec.price);
      product.run(p.sku, barcode, rec.name, over ?? rec.price, rec.tax_class, cat, rec.weighed ? 1 : 0, rec.active ? 1 : 0, at);
    }

    // the price lists' two layers, by the same rule: a row a later release in effect set stays
    for (const o of changes.region_prices ?? []) if (!later.get(`r:${o.sku}`)) prices.set("region", o.sku, o.price, at);
    for (const o of changes.store_prices ?? []) if (!later.get(`s:${o.sku}`)) prices.set("own", o.sku, o.price, at);
  }

  const waitingForBarcode = db.query<{ sku: string; barcode: string }, []>("SELECT sku, barcode FROM catalog_problems");
  const giveBarcode = db.query("UPDATE products SET barcode = ?, updated_at = ? WHERE sku = ?");

  /**
   * A head-office product kept without its barcode takes it as soon as no other product holds it (the store's own
   * product gave it up, or a release moved it): a release that merely says the same again changes no field, so it
   * would not bring it. Inside the caller's transaction.
   */
  function giveBarcodesBack(at: string): number {
    let given = 0;
    for (const w of waitingForBarcode.all()) {
      if (holder.get(w.barcode, w.sku)) continue;
      giveBarcode.run(w.barcode, at, w.sku);
      solved.run(w.sku);
      given++;
    }
    return given;
  }

  return { applyRelease, giveBarcodesBack };
}

/**
 * Head office's price lists at this store: its own prices over its region's, both over the chain's. A product's price
 * is the first of them it has; the chain's is kept in chain_prices while another holds, so taking a product back to
 * it loses nothing. Inside the caller's transaction.
 */
function priceLayers(db: Database) {
  const own = db.query<{ price: number }, [string]>("SELECT price FROM store_prices WHERE sku = ?");
  const region = db.query<{ price: number }, [string]>("SELECT price FROM region_prices WHERE sku = ?");
  const chain = db.query<{ price: number }, [string]>("SELECT price FROM chain_prices WHERE sku = ?");
  const put = {
    own: db.query("INSERT INTO store_prices(sku, price) VALUES (?, ?) ON CONFLICT(sku) DO UPDATE SET price = excluded.price"),
    region: db.query("INSERT INTO region_prices(sku, price) VALUES (?, ?) ON CONFLICT(sku) DO UPDATE SET price = excluded.price"),
  };
  const drop = { own: db.query("DELETE FROM store_prices WHERE sku = ?"), region: db.query("DELETE FROM region_prices WHERE sku = ?") };
  const putChain = db.query("INSERT INTO chain_prices(sku, price) VALUES (?, ?) ON CONFLICT(sku) DO UPDATE SET price = excluded.price");
  const dropChain = db.query("DELETE FROM chain_prices WHERE sku = ?");
  const priceOf = db.query<{ price: number }, [string]>("SELECT price FROM products WHERE sku = ?");
  const setPrice = db.query("UPDATE products SET price = ?, updated_at = ? WHERE sku = ?");

  /** The price of this store's own, else of its region, that holds over the chain's; null: the chain's holds. */
  const over = (sku: string): number | null => own.get(sku)?.price ?? region.get(sku)?.price ?? null;

  return {
    over,
    chainOf: (sku: string): number | null => chain.get(sku)?.price ?? null,
    keepChain: (sku: string, price: number) => putChain.run(sku, price),
    /** One layer's price for a product (null: the layer has none), and the product's price from what now holds. */
    set(layer: "own" | "region", sku: string, price: number | null, at: string) {
      const before = over(sku);
      const sold = priceOf.get(sku)?.price ?? null;
      // the chain's price: kept while another held, else what the product sells at now
      const chainPrice = before === null ? sold : (chain.get(sku)?.price ?? null);
      if (price === null) drop[layer].run(sku);
      else put[layer].run(sku, price);
      const after = over(sku);
      if (after === null) {
        dropChain.run(sku);
        if (sold !== null && chainPrice !== null && chainPrice !== sold) setPrice.run(chainPrice, at, sku);
        return;
      }
      // a product not here yet takes the price that holds when it comes (applyRelease's products)
      if (chainPrice !== null) putChain.run(sku, chainPrice);
      if (sold !== null && after !== sold) setPrice.run(after, at, sku);
    },
  };
}
