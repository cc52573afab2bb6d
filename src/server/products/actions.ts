// What a manager does to a product, each one transaction with its audit row: add one, or save its details over the
// version the page showed. A save refused — a stale page, a field head office sets, a SKU or barcode another product
// has — writes nothing. A sale never waits on a version: it moves stock, which is not a detail.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type AuditLog, recordSetUp, type SetUpActor } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import { type ProductDetails, productRecords } from "./records.ts";
import { checkTogether, differences, isHeadOfficeField, PRODUCT_FIELDS, type ProductField, type ProductValues, sameValue } from "./rules.ts";

/** Who changes products: a signed-in manager, from any browser (the back office need not be a register). */
export type ProductsActor = SetUpActor;

export type ProductRefusals = Partial<Record<ProductField, string>>;

export type ProductCreated = { created: ProductDetails } | { refused: ProductRefusals };

export type ProductSaved =
  /** Saved (`changes` empty: nothing differed, nothing written); `before` is the product as it was. */
  | { saved: ProductDetails; before: ProductDetails; changes: ProductField[] }
  | { refused: ProductRefusals }
  /** Fields head office sets that the save would have changed. */
  | { headOffice: ProductField[] }
  /** Someone saved the product since the page showed `version`: what differs from what the page showed, and the product now. */
  | { stale: { changed: ProductField[]; now: ProductDetails } };

/** A product row's values, in the order the statements below name its columns. */
type Bindings = (string | number | null)[];

export type ProductActionDeps = { db: Database; clock: Clock; audit: AuditLog };

/** The sentence for adding a product at a store that takes its catalog from head office. */
export const HEAD_OFFICE_ADDS = "This store takes its catalog from head office: new products are added there and arrive with its next release.";

export function productActions(deps: ProductActionDeps) {
  const { db, clock, audit } = deps;
  const records = productRecords(db);
  const tx = inOneTransaction(db);
  const q = {
    categories: db.query<{ id: number; name: string }, []>("SELECT id, name FROM categories"),
    addCategory: db.query<{ id: number }, [string]>("INSERT INTO categories(name) VALUES (?) RETURNING id"),
    insert: db.query<{ id: number }, Bindings>(
      `INSERT INTO products(sku, barcode, name, price, tax_class, category_id, weighed, active, cost, reorder_point, reorder_level, location, returnable,
         updated_at, stock_milli, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1) RETURNING id`,
    ),
    update: db.query<never, Bindings>(
      `UPDATE products SET sku = ?, barcode = ?, name = ?, price = ?, tax_class = ?, category_id = ?, weighed = ?, active = ?, cost = ?, reorder_point = ?,
         reorder_level = ?, location = ?, returnable = ?, updated_at = ?, version = version + 1
       WHERE id = ? AND version = ?`,
    ),
    addBarcode: db.query("INSERT INTO product_barcodes(barcode, product_id) VALUES (?, ?)"),
    dropBarcodes: db.query("DELETE FROM product_barcodes WHERE product_id = ?"),
  };
  const record = recordSetUp(audit, clock);

  /** A category typed as it is already named ("dairy" is "Dairy"); null when it is new. */
  const knownCategory = (name: string) => q.categories.all().find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? null;
  const categoryId = (name: string | null): number | null => (name === null ? null : (knownCategory(name)?.id ?? q.addCategory.get(name)!.id));

  /** What the database says against a product's values: a SKU or barcode another product has. */
  function taken(v: ProductValues, self: number | null, was: ProductValues | null): ProductRefusals {
    const refused: ProductRefusals = {};
    if (!was || v.sku !== was.sku) {
      const h = records.skuHolder(v.sku, self);
      if (h) refused.sku = `SKU ${v.sku} is already the SKU of ${h.name}; choose another.`;
    }
    // only a barcode new to this product is looked for elsewhere: one it had is its own, whatever an import did since
    const isNew = (code: string) => !was || (code !== was.barcode && !was.barcodes.includes(code));
    const holderOf = (code: string) => records.barcodeHolders(code, self)[0];
    const main = v.barcode !== null && isNew(v.barcode) ? holderOf(v.barcode) : undefined;
    if (main) refused.barcode = `Barcode ${v.barcode} already belongs to ${main.name} (SKU ${main.sku}); a scan finds one product only.`;
    for (const code of v.barcodes.filter(isNew)) {
      const h = holderOf(code);
      if (h) {
        refused.barcodes = `Barcode ${code} already belongs to ${h.name} (SKU ${h.sku}); a scan finds one product only.`;
        break;
      }
    }
    return refused;
  }

  const row = (v: ProductValues, category: number | null, at: string) =>
    [
      v.sku,
      v.barcode,
      v.name,
      v.price,
      v.tax_class,
      category,
      v.weighed ? 1 : 0,
      v.active ? 1 : 0,
      v.cost,
      v.reorder_point,
      v.reorder_level,
      v.location,
      v.returnable ? 1 : 0,
      at,
    ] as const;

  /** The other barcodes once each, the main one left out (it is found first anyway). */
  const others = (v: ProductValues): ProductValues => ({ ...v, barcodes: [...new Set(v.barcodes)].filter((b) => b !== v.barcode) });
  /** The category as it is already named, when it is. */
  const named = (v: ProductValues): ProductValues => ({ ...v, category: v.category === null ? null : (knownCategory(v.category)?.name ?? v.category) });

  return {
    /** A new product, with no stock yet (stock comes through the ledger: a delivery, a count). */
    create: tx((who: ProductsActor, given: ProductValues): ProductCreated => {
      if (readHeadOfficeLink(db)) throw new Problem("forbidden", HEAD_OFFICE_ADDS);
      const v = named(others(given));
      const refused = { ...checkTogether(v), ...taken(v, null, null) };
      if (Object.keys(refused).length > 0) return { refused };
      const at = clock.now().toISOString();
      const id = q.insert.get(...row(v, categoryId(v.category), at))!.id;
      for (const code of v.barcodes) q.addBarcode.run(code, id);
      record(who, "product.created", v.sku, { product_id: id, version: 1, values: v });
      return { created: records.byId(id)! };
    }),

    /**
     * Save the fields given over the product as the page showed it (`version`; `seen`, what its form held, to say what
     * changed meanwhile). A field left out stays as it is.
     */
    update: tx((who: ProductsActor, id: number, version: number, seen: ProductValues | null, given: Partial<ProductValues>): ProductSaved => {
      const before = records.byId(id);
      if (!before) throw new Problem("product_not_found", "There is no such product; someone may have removed it.");
      const wanted = named(others({ ...before.values, ...given }));
      // the form is not trusted to leave head office's fields alone: whatever it sent is compared with what is kept
      if (readHeadOfficeLink(db)) {
        const theirs = PRODUCT_FIELDS.filter((f) => isHeadOfficeField(f) && given[f] !== undefined && !sameValue(f, wanted, before.values));
        if (theirs.length > 0) return { headOffice: theirs };
      }
      if (before.version !== version) return { stale: { changed: seen ? differences(seen, before.values) : [], now: before } };
      const refused = { ...checkTogether(wanted), ...taken(wanted, id, before.values) };
      if (Object.keys(refused).length > 0) return { refused };
      const changes = differences(before.values, wanted);
      if (changes.length === 0) return { saved: before, before, changes };

      const at = clock.now().toISOString();
      const written = q.update.run(...row(wanted, categoryId(wanted.category), at), id, version).changes;
      // checked above in this same transaction, so never; kept as the statement's own guard
      if (written === 0) return { stale: { changed: [], now: records.byId(id)! } };
      if (changes.includes("barcodes")) {
        q.dropBarcodes.run(id);
        for (const code of wanted.barcodes) q.addBarcode.run(code, id);
      }
      const after = records.byId(id)!;
      const changed = Object.fromEntries(changes.map((f) => [f, { from: before.values[f], to: after.values[f] }]));
      record(who, "product.changed", after.values.sku, { product_id: id, version: after.version, changes: changed });
      return { saved: after, before, changes };
    }),
  };
}

export type ProductActions = ReturnType<typeof productActions>;
