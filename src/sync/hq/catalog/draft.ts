// The draft of the next catalog release: edits made in the dashboard wait here, one per product or tax class, until
// someone publishes them as one release or discards them.

import type { z } from "zod";
import { parseDecimalToMinor } from "../../../domain/kernel/money.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { sha256Hex } from "../../../server/platform/auth/secrets.ts";
import { listedCategory } from "../categories/categories.ts";
import { HQ_LOCK_NAMESPACE, type HqSql } from "../db/db.ts";
import { readBarcode } from "./forms.ts";
import { PRICE_LIST_KINDS, publishPriceLists } from "./price-lists-publish.ts";
import {
  CATALOG_LOCK,
  type CatalogProduct,
  type CatalogTaxClass,
  currentProducts,
  currentTaxClasses,
  insertRelease,
  productSchema,
  type Release,
  ReleaseRefused,
  taxClassSchema,
} from "./releases.ts";

export type DraftChange =
  | { kind: "product"; key: string; item: CatalogProduct; changed_by: string; changed_at: Date }
  | { kind: "tax_class"; key: string; item: CatalogTaxClass; changed_by: string; changed_at: Date };

/** Field name → the sentence to show next to it. */
export type Problems = Record<string, string>;

/** A change the draft does not take: the sentences by field, and nothing written. */
export class ChangeRefused extends Problem {
  constructor(readonly problems: Problems) {
    super("invalid_input", Object.values(problems)[0] ?? "The change is not valid.", problems);
  }
}

const MAX_PRICE = 100_000_000;

export async function draftChanges(sql: HqSql): Promise<DraftChange[]> {
  return sql<DraftChange[]>`
    SELECT kind, key, item, changed_by, changed_at FROM catalog_draft_changes ORDER BY kind DESC, key`;
}

/**
 * What the draft holds, as one short string: the publish form carries it, so what is published is what the person
 * saw on the draft page, not an edit someone made meanwhile.
 */
export function draftFingerprint(changes: readonly Pick<DraftChange, "kind" | "key" | "item">[]): string {
  const lines = changes.map((c) => `${c.kind}\u0000${c.key}\u0000${JSON.stringify(c.item)}`).sort();
  return sha256Hex(lines.join("\n")).slice(0, 32);
}

/** The catalog as it will be once the draft is published: published items with the draft's over them. */
async function withDraft(sql: HqSql) {
  const [draft, taxes] = await Promise.all([draftChanges(sql), currentTaxClasses(sql)]);
  const taxCodes = new Set(taxes.map((t) => t.item.code));
  const draftProducts = new Map<string, CatalogProduct>();
  for (const c of draft) {
    if (c.kind === "tax_class") taxCodes.add(c.key);
    else if (c.kind === "product") draftProducts.set(c.key, c.item);
  }
  return { taxCodes, draftProducts };
}

/** A product as the draft or, failing that, the last release has it; null when there is no such sku. */
export async function productToEdit(sql: HqSql, sku: string): Promise<{ item: CatalogProduct; inDraft: boolean } | null> {
  const [d] = await sql<{ item: CatalogProduct }[]>`SELECT item FROM catalog_draft_changes WHERE kind = 'product' AND key = ${sku}`;
  if (d) return { item: d.item, inDraft: true };
  const [p] = await currentProducts(sql, { skus: [sku], limit: 1 });
  return p ? { item: p.item, inDraft: false } : null;
}

export async function taxClassToEdit(sql: HqSql, code: string): Promise<{ item: CatalogTaxClass; inDraft: boolean } | null> {
  const [d] = await sql<{ item: CatalogTaxClass }[]>`SELECT item FROM catalog_draft_changes WHERE kind = 'tax_class' AND key = ${code}`;
  if (d) return { item: d.item, inDraft: true };
  const t = (await currentTaxClasses(sql)).find((x) => x.item.code === code);
  return t ? { item: t.item, inDraft: false } : null;
}

/** Every tax class code a product may use: published, or added in the draft. */
export async function taxCodesWithDraft(sql: HqSql): Promise<string[]> {
  return [...(await withDraft(sql)).taxCodes].sort();
}

/** Which other product holds this barcode once the draft is published, if any. */
async function barcodeHolder(sql: HqSql, barcode: string, sku: string, draftProducts: Map<string, CatalogProduct>): Promise<string | null> {
  for (const [other, p] of draftProducts) if (other !== sku && p.barcode === barcode) return other;
  const published = await sql<{ sku: string }[]>`
    SELECT sku FROM (
      SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku' AS sku, e.p->>'barcode' AS barcode
      FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
      ORDER BY e.p->>'sku', r.version DESC, e.n DESC
    ) latest
    WHERE barcode = ${barcode} AND sku <> ${sku}`;
  return published.map((r) => r.sku).find((s) => !draftProducts.has(s)) ?? null;
}

/** Parse a price typed as a decimal ("2.49") into minor units; the sentence when it is not one. */
export function priceFromText(text: string | undefined, digits: number): { price?: number; problem?: string } {
  const t = (text ?? "").trim();
  const example = digits === 0 ? "249" : `2.${"49".padEnd(digits, "0").slice(0, digits)}`;
  if (!t) return { problem: `Type a price, like ${example}.` };
  const v = parseDecimalToMinor(t, digits);
  if (v === null) return { problem: `A price is an amount like ${example}, with at most ${digits} decimals.` };
  if (v < 0) return { problem: "A price cannot be negative." };
  if (v > MAX_PRICE) return { problem: "That price is too large." };
  return { price: v };
}

export type ProductForm = Record<string, string | undefined>;

/**
 * Check a product form (a new product when `sku` is null) and put it in the draft. Throws ChangeRefused with a
 * sentence per field; nothing is written then.
 */
export async function draftProduct(sql: HqSql, form: ProductForm, o: { sku: string | null; digits: number; by: string }): Promise<CatalogProduct> {
  const problems: Problems = {};
  const { taxCodes, draftProducts } = await withDraft(sql);
  const sku = (o.sku ?? form.sku ?? "").trim();
  if (o.sku === null) {
    if (!sku || sku.length > 64 || /\s/.test(sku)) problems.sku = "A SKU is 1 to 64 characters without spaces.";
    else if (draftProducts.has(sku) || (await currentProducts(sql, { skus: [sku], limit: 1 })).length > 0) {
      problems.sku = `There is a product with SKU ${sku} already; edit it instead.`;
    }
  }
  const name = (form.name ?? "").trim();
  if (!name || name.length > 200) problems.name = "A name of 1 to 200 characters, please.";
  // a barcode a store would refuse (its length, its check digit) is refused here in the store's words
  const typedBarcode = (form.barcode ?? "").trim();
  const read = typedBarcode ? readBarcode(typedBarcode) : { barcode: null };
  const barcode = "barcode" in read ? read.barcode : null;
  if ("problem" in read) problems.barcode = read.problem;
  else if (barcode !== null && !problems.sku) {
    const holder = await barcodeHolder(sql, barcode, sku, draftProducts);
    if (holder) problems.barcode = `Barcode ${barcode} belongs to product ${holder}.`;
  }
  const { price, problem } = priceFromText(form.price, o.digits);
  if (problem) problems.price = problem;
  const taxClass = (form.tax_class ?? "").trim();
  if (!taxClass) problems.tax_class = "Choose a tax class.";
  else if (!taxCodes.has(taxClass)) problems.tax_class = `Tax class ${taxClass.slice(0, 20)} does not exist; add it first.`;
  // a category from the list, as the list spells it
  const typedCategory = (form.category ?? "").trim();
  const category = typedCategory ? await listedCategory(sql, typedCategory) : null;
  if (typedCategory && category === null) {
    problems.category = `${typedCategory.slice(0, 60)} is not in the category list; pick one from it, or add it to the list first.`;
  }
  if (Object.keys(problems).length > 0) throw new ChangeRefused(problems);
  const item = checked(productSchema, {
    sku,
    barcode,
    name,
    price,
    tax_class: taxClass,
    category,
    weighed: form.weighed === "on",
    active: form.active === "on",
  });
  await putChange(sql, "product", sku, item, o.by);
  return item;
}

/** A new price for a product, everything else as the draft or the last release has it. */
export async function draftPrice(sql: HqSql, sku: string, text: string | undefined, o: { digits: number; by: string }): Promise<CatalogProduct | null> {
  const base = await productToEdit(sql, sku);
  if (!base) return null;
  const { price, problem } = priceFromText(text, o.digits);
  if (problem) throw new ChangeRefused({ price: problem });
  const item = { ...base.item, price: price! };
  await putChange(sql, "product", sku, item, o.by);
  return item;
}

/** Take a product off sale at the stores (kept in the catalog, inactive). */
export async function draftDeactivate(sql: HqSql, sku: string, by: string): Promise<CatalogProduct | null> {
  const base = await productToEdit(sql, sku);
  if (!base) return null;
  const item = { ...base.item, active: false };
  await putChange(sql, "product", sku, item, by);
  return item;
}

/** Check a tax class form (a new one when `code` is null) and put it in the draft. */
export async function draftTaxClass(sql: HqSql, form: ProductForm, o: { code: string | null; by: string }): Promise<CatalogTaxClass> {
  const problems: Problems = {};
  const code = (o.code ?? form.code ?? "").trim();
  if (o.code === null) {
    if (!/^[A-Za-z0-9_-]{1,20}$/.test(code)) problems.code = "A code is 1 to 20 letters, digits, - or _.";
    else if ((await taxCodesWithDraft(sql)).includes(code)) problems.code = `Tax class ${code} exists already; edit it instead.`;
  }
  const name = (form.name ?? "").trim();
  if (!name || name.length > 60) problems.name = "A name of 1 to 60 characters, please.";
  const rate = parseDecimalToMinor((form.rate ?? "").trim(), 2);
  if (rate === null || rate < 0 || rate > 10_000) problems.rate = "A rate is a percentage from 0 to 100, like 20 or 5.5.";
  if (Object.keys(problems).length > 0) throw new ChangeRefused(problems);
  const item = checked(taxClassSchema, { code, name, rate_bp: rate });
  await putChange(sql, "tax_class", code, item, o.by);
  return item;
}

/**
 * The item as a release holds it, through the same schema (and so the same text gate) as a release file: what the
 * form checks above did not catch is refused beside its field.
 */
function checked<S extends z.ZodType>(schema: S, item: unknown): z.output<S> {
  const r = schema.safeParse(item);
  if (r.success) return r.data;
  const problems: Problems = {};
  for (const issue of r.error.issues) problems[String(issue.path[0] ?? "item")] ??= issue.message;
  throw new ChangeRefused(problems);
}

async function putChange(sql: HqSql, kind: DraftChange["kind"], key: string, item: CatalogProduct | CatalogTaxClass, by: string): Promise<void> {
  await sql`
    INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at) VALUES (${kind}, ${key}, ${sql.json(item as never)}, ${by}, now())
    ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item, changed_by = excluded.changed_by, changed_at = excluded.changed_at`;
}

export async function removeDraftChange(sql: HqSql, kind: string, key: string): Promise<boolean> {
  const rows = await sql`DELETE FROM catalog_draft_changes WHERE kind = ${kind} AND key = ${key} RETURNING key`;
  return rows.length > 0;
}

/** Throw the whole draft away; with a fingerprint, only if the draft is still what the person saw. */
export async function discardDraft(sql: HqSql, fingerprint?: string): Promise<number> {
  return sql.begin(async (tx) => {
    const rows = await tx<DraftChange[]>`DELETE FROM catalog_draft_changes RETURNING kind, key, item`;
    if (fingerprint !== undefined && rows.length > 0 && draftFingerprint(rows) !== fingerprint) {
      throw new Problem("draft_changed", "The draft changed since you looked at it; look again before discarding. Nothing was discarded.");
    }
    return rows.length;
  });
}

/**
 * Turn the draft into one release, in one transaction: the rows are taken out of the draft by the same transaction
 * that writes the release, so the draft is cleared only if the release was written, and two people publishing at
 * once publish it once (the second finds it empty).
 */
export async function publishDraft(
  sql: HqSql,
  /** `now`: the dashboard's clock, which a region move (taking effect when published) is measured by; else the effective time. */
  o: { effectiveAt: Date; note: string; publishedBy: string; fingerprint?: string; now?: Date },
): Promise<Release> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${CATALOG_LOCK})`;
    const rows = await tx<DraftChange[]>`DELETE FROM catalog_draft_changes RETURNING kind, key, item, changed_by, changed_at`;
    if (rows.length === 0) throw new Problem("draft_empty", "The draft is empty, so there is nothing to publish; someone may have just published it.");
    if (o.fingerprint !== undefined && draftFingerprint(rows) !== o.fingerprint) {
      throw new Problem("draft_changed", "The draft changed since you looked at it; review it and publish again. Nothing was published.");
    }
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const changes = {
      tax_classes: rows
        .filter((r) => r.kind === "tax_class")
        .sort(byKey)
        .map((r) => r.item as CatalogTaxClass),
      products: rows
        .filter((r) => r.kind === "product")
        .sort(byKey)
        .map((r) => r.item as CatalogProduct),
    };
    try {
      // price lists (a store's own, a region's, stores moving region) go with the release, each store getting its own
      const prices = rows.filter((r) => (PRICE_LIST_KINDS as readonly string[]).includes(r.kind));
      const release = await insertRelease(tx, changes, o.effectiveAt, o.note, o.publishedBy, prices.length);
      await publishPriceLists(tx, release, prices, o.now ?? o.effectiveAt);
      return release;
    } catch (e) {
      if (e instanceof ReleaseRefused) throw new Problem("release_refused", `The draft cannot be published: ${e.message}. Nothing was published.`);
      throw e;
    }
  });
}
