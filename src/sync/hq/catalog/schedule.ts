// When releases take effect. Each release takes effect at its own effective time, field by field, so a price fix
// published today is not held back by a price change scheduled for Monday. The rule, the same here and at the stores
// (sync/catalog-puller.ts):
//   for each field of each product and tax class, the value in effect is the one from the release, among those whose
//   effective time has passed and that change that field, with the latest effective time; at equal times the higher
//   version wins.
// So a release published later for an earlier time never undoes one that takes effect after it, and a later release
// changes what an earlier scheduled one will do by being published for the same time (or a later one).
// A release says which fields it changes: those its items differ in from the catalog as published last, which is what
// the person editing the draft saw; a product or tax class new to the catalog changes every field.

import type { CatalogChanges, CatalogReply } from "../../catalog-contracts.ts";
import { CATALOG_PRODUCT_FIELDS as PRODUCT_FIELDS, CATALOG_TAX_CLASS_FIELDS as TAX_CLASS_FIELDS } from "../../catalog-contracts.ts";
import type { HqSql, HqTransaction } from "../db/db.ts";
import { withStorePrices } from "./price-lists-publish.ts";

/** Per SKU and per tax class code: the fields a release changes. */
export type ChangedFields = { products: Record<string, string[]>; tax_classes: Record<string, string[]> };

type Item = { [field: string]: unknown };
type CatalogItems = { products: Item[]; tax_classes: Item[] };

/** A release as stored: `changed` is null for releases published before releases said so (every field then). */
export type StoredRelease = { version: number; effective_at: Date; changes: CatalogItems; changed: ChangedFields | null };

/** The fields of `after` that differ from `before` (every field when there was no `before`). */
export function fieldsChanged(before: Item | undefined, after: Item, fields: readonly string[]): string[] {
  if (!before) return [...fields];
  return fields.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
}

/** What a release changes against the catalog as published last (read inside the publishing transaction). */
export async function changedAgainstPublished(tx: HqTransaction, changes: CatalogItems): Promise<ChangedFields> {
  const skus = changes.products.map((p) => String(p.sku));
  const codes = changes.tax_classes.map((t) => String(t.code));
  const [products, taxes] = await Promise.all([
    skus.length === 0
      ? []
      : tx<{ key: string; item: Item }[]>`
      SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku' AS key, e.p AS item
      FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
      WHERE e.p->>'sku' IN (SELECT unnest(${skus}::text[])) -- a hash join: a release may hold 40,000 products
      ORDER BY e.p->>'sku', r.version DESC, e.n DESC`,
    codes.length === 0
      ? []
      : tx<{ key: string; item: Item }[]>`
      SELECT DISTINCT ON (e.t->>'code') e.t->>'code' AS key, e.t AS item
      FROM catalog_releases r, jsonb_array_elements(r.changes->'tax_classes') WITH ORDINALITY AS e(t, n)
      WHERE e.t->>'code' IN (SELECT unnest(${codes}::text[]))
      ORDER BY e.t->>'code', r.version DESC, e.n DESC`,
  ]);
  const oldProduct = new Map(products.map((r) => [r.key, r.item]));
  const oldTax = new Map(taxes.map((r) => [r.key, r.item]));
  return {
    products: Object.fromEntries(changes.products.map((p) => [String(p.sku), fieldsChanged(oldProduct.get(String(p.sku)), p, PRODUCT_FIELDS)])),
    tax_classes: Object.fromEntries(changes.tax_classes.map((t) => [String(t.code), fieldsChanged(oldTax.get(String(t.code)), t, TAX_CLASS_FIELDS)])),
  };
}

/** Effective time, then version: the order in which releases take effect. */
export const byEffect = (a: { effective_at: Date; version: number }, b: { effective_at: Date; version: number }) =>
  a.effective_at.getTime() - b.effective_at.getTime() || a.version - b.version;

/**
 * Lay a release's items over the catalog folded so far, field by field. An item the catalog does not have yet is
 * taken only from a release that sets all its fields (the one that makes it): a price fix for a product scheduled to
 * appear on Monday does not bring it in early.
 */
function layOver(into: Map<string, Item>, items: Item[], key: string, changed: Record<string, string[]> | undefined, all: readonly string[]) {
  for (const item of items) {
    const k = String(item[key]);
    const fields = changed?.[k] ?? all;
    const had = into.get(k);
    if (!had) {
      if (all.every((f) => fields.includes(f))) into.set(k, { ...item });
      continue;
    }
    const next = { ...had };
    for (const f of fields) next[f] = item[f];
    into.set(k, next);
  }
}

/** The catalog in effect at `now`: the releases whose time has passed, laid over each other in the order they take effect. */
export function catalogInEffect(releases: StoredRelease[], now: Date): CatalogChanges {
  const products = new Map<string, Item>();
  const taxes = new Map<string, Item>();
  for (const r of releases.filter((x) => x.effective_at <= now).sort(byEffect)) {
    layOver(taxes, r.changes.tax_classes, "code", r.changed?.tax_classes, TAX_CLASS_FIELDS);
    layOver(products, r.changes.products, "sku", r.changed?.products, PRODUCT_FIELDS);
  }
  return { tax_classes: [...taxes.values()], products: [...products.values()] } as CatalogChanges;
}

/** A release as the stores get it: each item with the fields it changes (absent for an old release: every field). */
function forStores(r: StoredRelease) {
  const mark = (items: Item[], key: string, changed: Record<string, string[]> | undefined) =>
    items.map((i) => (changed?.[String(i[key])] ? { ...i, changed: changed[String(i[key])] } : i));
  return {
    version: r.version,
    effective_at: r.effective_at.toISOString(),
    changes: {
      tax_classes: mark(r.changes.tax_classes, "code", r.changed?.tax_classes),
      products: mark(r.changes.products, "sku", r.changed?.products),
    } as CatalogChanges,
  };
}

/**
 * What a store at version `since` has not received, oldest first. Stores keep every release and apply each at its
 * own time (the rule above). A store that has nothing gets the catalog in effect now as a snapshot standing for every
 * release so far, then the releases still to come (whatever their versions). The answer's shape is the contract's.
 */
export async function catalogChanges(sql: HqSql, since: number, limit = 50, now = new Date(), storeId: string | null = null): Promise<CatalogReply> {
  const reply = await chainChanges(sql, since, limit, now);
  // the pulling store's own prices (price lists) ride with the releases that change them
  return storeId ? withStorePrices(sql, reply, storeId, now) : reply;
}

async function chainChanges(sql: HqSql, since: number, limit: number, now: Date): Promise<CatalogReply> {
  const [top] = await sql<{ latest: number | null; due: number }[]>`
    SELECT max(version) AS latest, count(*) FILTER (WHERE effective_at <= ${now}) AS due FROM catalog_releases`;
  const latest = Number(top?.latest ?? 0);
  if (since <= 0 && Number(top?.due ?? 0) > 0) {
    const rows = await sql<StoredRelease[]>`SELECT version, effective_at, changes, changed FROM catalog_releases ORDER BY version`;
    const waiting = rows.filter((r) => r.effective_at > now).map(forStores);
    const snapshot = { version: latest, changes: catalogInEffect(rows, now) };
    return waiting.length > 0 ? { latest, snapshot, releases: waiting } : { latest, snapshot };
  }
  const rows = await sql<StoredRelease[]>`
    SELECT version, effective_at, changes, changed FROM catalog_releases WHERE version > ${since} ORDER BY version LIMIT ${limit}`;
  return { latest, releases: rows.map(forStores) };
}
