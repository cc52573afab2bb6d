// The catalog head office sends its stores (DESIGN §7, down): the one definition both programs read it by, beside
// contracts.ts (up). Stores and head offices of different versions talk, so a change here must still read what older
// programs send and be read by them.
import { z } from "zod";
import { gatedText } from "../server/platform/http/validate.ts";

// Catalog changes, GET /sync/v1/catalog/changes?since=V. Read leniently too: a newer head office's added field is no
// reason for an older store to stop taking prices.

/**
 * `changed`: the fields a release changes for this item (the rest are as published before it); absent: every field.
 * A store applies each field from the release with the latest effective time that has passed (see catalog-puller.ts).
 */
const changedFields = z.array(z.string()).optional();
export const CATALOG_PRODUCT_FIELDS = ["barcode", "name", "price", "tax_class", "category", "weighed", "active"] as const;
export const CATALOG_TAX_CLASS_FIELDS = ["name", "rate_bp"] as const;
export const catalogTaxClass = z.object({ code: z.string().min(1), name: z.string(), rate_bp: z.int().min(0), changed: changedFields });
export const catalogProduct = z.object({
  sku: z.string().min(1),
  barcode: z.string().nullable(),
  name: z.string(),
  price: z.int().min(0),
  tax_class: z.string().min(1),
  category: z.string().nullable(),
  weighed: z.boolean(),
  active: z.boolean(),
  changed: changedFields,
});
/**
 * A store's own price for a product (its price list), over the chain's; price null: back to the chain's price. Only
 * the pulling store's rows are sent; a store from before price lists ignores them and sells at the chain's price.
 */
export const catalogStorePrice = z.object({ sku: z.string().min(1), price: z.int().min(0).nullable() });
export type CatalogStorePrice = z.infer<typeof catalogStorePrice>;
/** What one release changes, or (in a snapshot) the whole catalog folded up to a version. */
export const catalogChanges = z.object({
  tax_classes: z.array(catalogTaxClass),
  products: z.array(catalogProduct),
  store_prices: z.array(catalogStorePrice).optional(),
  /**
   * The prices of the pulling store's region (same shape): under its own prices, over the chain's. A store moved to
   * another region gets a row for each product either region prices, null where the new one has none. A store from
   * before regions ignores them and sells at the chain's price (or its own).
   */
  region_prices: z.array(catalogStorePrice).optional(),
});
export type CatalogChanges = z.infer<typeof catalogChanges>;

/** effective_at as toISOString writes it: stores compare it as text with their clock's. */
export const catalogRelease = z.object({ version: z.int().min(1), effective_at: z.iso.datetime(), changes: catalogChanges });
export type CatalogRelease = z.infer<typeof catalogRelease>;

/** Releases after the store's version, oldest first; a store with none gets a snapshot first. */
export const catalogReply = z.object({
  latest: z.int().min(0),
  releases: z.array(catalogRelease).optional(),
  snapshot: z.object({ version: z.int().min(1), changes: catalogChanges }).optional(),
});
export type CatalogReply = z.infer<typeof catalogReply>;

// Up again after each pull: how the store's catalog stands (the version applied, head-office products that could not
// take their barcode because a product of the store's own holds it, the last catalog error). Text passes the text gate.
const catalogProblem = z.strictObject({
  sku: gatedText(64, { cardLike: true }).pipe(z.string().min(1)),
  version: z.int().min(1),
  barcode: z.string().regex(/^\d{8,14}$/),
  held_by_sku: gatedText(64, { cardLike: true }).pipe(z.string().min(1)),
  held_by_name: gatedText(200),
});
export const catalogReport = z.strictObject({
  version: z.int().min(0),
  problems: z.array(catalogProblem).max(10_000),
  error: gatedText(1000).nullable(),
  /** Versions the store holds, waiting for their effective time (older stores do not say). */
  pending: z.array(z.int().min(1)).max(10_000).optional(),
});
export type CatalogReport = z.infer<typeof catalogReport>;
