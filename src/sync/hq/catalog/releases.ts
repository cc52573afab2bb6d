// Head office's catalog: releases of tax classes and products (prices with an effective time), gapless versions.
// Every text of a release goes through the one text gate, whether it comes from the dashboard or from a file.

import { z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { gatedText } from "../../../server/platform/http/validate.ts";
import type { PublishedView, ReleaseView } from "../../../views/hq/catalog.tsx";
import { HQ_LOCK_NAMESPACE, type HqSql, type HqTransaction } from "../db/db.ts";
import { changedAgainstPublished } from "./schedule.ts";

const taxClass = z.strictObject({ code: gatedText(20).min(1), name: gatedText(60).min(1), rate_bp: z.number().int().min(0).max(10000) });
const product = z.strictObject({
  // a SKU is a code, which can pass a card number's check digit by chance
  sku: gatedText(64, { cardLike: true }).min(1),
  barcode: z
    .string()
    .regex(/^\d{8,14}$/)
    .nullable()
    .default(null),
  name: gatedText(200).min(1),
  price: z.number().int().min(0).max(100_000_000),
  tax_class: gatedText(20).min(1),
  category: gatedText(60).nullable().default(null),
  weighed: z.boolean().default(false),
  active: z.boolean().default(true),
});
export const releaseChanges = z.strictObject({ tax_classes: z.array(taxClass).default([]), products: z.array(product).default([]) });
export type ReleaseChanges = z.infer<typeof releaseChanges>;
export type CatalogProduct = ReleaseChanges["products"][number];
export type CatalogTaxClass = ReleaseChanges["tax_classes"][number];
export type Release = { version: number; effective_at: string; changes: ReleaseChanges };
export const productSchema = product;
export const taxClassSchema = taxClass;

/** An item of the catalog as published last, with the release that set it. */
export type Published<T> = PublishedView<T>;

/** A release as the catalog page lists it. */
export type ReleaseSummary = ReleaseView;

export class ReleaseRefused extends Problem {
  constructor(message: string) {
    super("release_refused", message);
  }
}

/** The longest note a release may carry. */
export const MAX_RELEASE_NOTE = 500;

/** Second advisory key under HQ_LOCK_NAMESPACE: one publisher at a time. */
export const CATALOG_LOCK = 2;

/**
 * Publish a release. One publisher at a time (an advisory lock held until commit), so the version taken as the next
 * after the last is never taken twice and versions stay gapless.
 */
export async function publishRelease(sql: HqSql, input: unknown, effectiveAt: Date, note = "", publishedBy: string | null = null): Promise<Release> {
  const parsed = releaseChanges.safeParse(input);
  if (!parsed.success) throw new ReleaseRefused(`the release is not valid: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  const noteProblem = textProblem(note, "The note", { max: MAX_RELEASE_NOTE, lines: true });
  if (noteProblem) throw new ReleaseRefused(`the release is not valid: note: ${noteProblem.message}`);
  return sql.begin((tx) => insertRelease(tx, parsed.data, effectiveAt, note, publishedBy));
}

/**
 * Write a checked release inside the caller's transaction: takes the publishing lock, refuses what a store could not
 * apply, and orders the products so that a store applying them one by one never holds a barcode twice.
 */
export async function insertRelease(
  tx: HqTransaction,
  changes: ReleaseChanges,
  effectiveAt: Date,
  note: string,
  publishedBy: string | null,
  /** Stores' own prices the caller writes with it (price-lists-publish.ts): a release of prices only changes something. */
  storePrices = 0,
): Promise<Release> {
  if (changes.tax_classes.length === 0 && changes.products.length === 0 && storePrices === 0) throw new ReleaseRefused("the release changes nothing");
  if (Number.isNaN(effectiveAt.getTime())) throw new ReleaseRefused("the effective time is not a time");
  const twice = <T>(xs: T[], key: (x: T) => string) => xs.map(key).find((k, i, all) => all.indexOf(k) !== i);
  const sku = twice(changes.products, (p) => p.sku);
  if (sku !== undefined) throw new ReleaseRefused(`product ${sku} is in the release twice`);
  const code = twice(changes.tax_classes, (t) => t.code);
  if (code !== undefined) throw new ReleaseRefused(`tax class ${code} is in the release twice`);

  await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${CATALOG_LOCK})`;
  // only the tax class codes ever published are needed here, not the whole catalog folded
  const codes = await tx<{ code: string }[]>`SELECT DISTINCT t->>'code' AS code FROM catalog_releases, jsonb_array_elements(changes->'tax_classes') t`;
  const known = new Set(codes.map((r) => r.code));
  for (const t of changes.tax_classes) known.add(t.code);
  const missing = changes.products.find((p) => !known.has(p.tax_class));
  if (missing) throw new ReleaseRefused(`product ${missing.sku} uses tax class ${missing.tax_class}, which no release defines`);
  const products = changes.products.some((p) => p.barcode !== null) ? orderForStores(changes.products, await currentBarcodes(tx)) : changes.products;
  const ordered = { tax_classes: changes.tax_classes, products };
  // which fields it changes, against what the person saw: each takes effect at this release's time (schedule.ts)
  const changed = await changedAgainstPublished(tx, ordered);

  const [row] = await tx<{ version: number; effective_at: Date }[]>`
    INSERT INTO catalog_releases (version, effective_at, note, changes, changed, published_by)
    SELECT coalesce(max(version), 0) + 1, ${effectiveAt}, ${note}, ${tx.json(ordered as never)}, ${tx.json(changed as never)}, ${publishedBy} FROM catalog_releases
    RETURNING version, effective_at`;
  return { version: row!.version, effective_at: row!.effective_at.toISOString(), changes: ordered };
}

/** The barcode each product holds as published last (sku → barcode or null). */
async function currentBarcodes(tx: HqTransaction): Promise<Map<string, string | null>> {
  const rows = await tx<{ sku: string; barcode: string | null }[]>`
    SELECT DISTINCT ON (e.p->>'sku') e.p->>'sku' AS sku, e.p->>'barcode' AS barcode
    FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
    ORDER BY e.p->>'sku', r.version DESC, e.n DESC`;
  return new Map(rows.map((r) => [r.sku, r.barcode]));
}

/**
 * A store keeps barcodes unique and applies a release product by product. So: after the release no barcode may
 * belong to two products, and a product that takes over a barcode another product gives up in the same release must
 * come after it. Products trading barcodes in one release cannot be ordered and are refused.
 */
export function orderForStores(products: CatalogProduct[], current: Map<string, string | null>): CatalogProduct[] {
  const after = new Map(current);
  for (const p of products) after.set(p.sku, p.barcode);
  const holder = new Map<string, string>();
  for (const [sku, barcode] of after) {
    if (barcode === null) continue;
    const other = holder.get(barcode);
    if (other !== undefined) throw new ReleaseRefused(`barcode ${barcode} would belong to both ${other} and ${sku}`);
    holder.set(barcode, sku);
  }
  const index = new Map(products.map((p, i) => [p.sku, i]));
  const oldHolder = new Map<string, number>(); // barcode → index of the product in this release that holds it now
  products.forEach((p, i) => {
    const old = current.get(p.sku);
    if (old !== null && old !== undefined && old !== p.barcode) oldHolder.set(old, i);
  });
  // Kahn's algorithm, keeping the given order where nothing forces another
  const waitsFor = products.map((p) =>
    p.barcode !== null && oldHolder.has(p.barcode) && oldHolder.get(p.barcode) !== index.get(p.sku) ? oldHolder.get(p.barcode)! : -1,
  );
  const done = new Array<boolean>(products.length).fill(false);
  const out: CatalogProduct[] = [];
  for (let progress = true; progress && out.length < products.length; ) {
    progress = false;
    for (let i = 0; i < products.length; i++) {
      if (done[i] || (waitsFor[i]! >= 0 && !done[waitsFor[i]!])) continue;
      done[i] = true;
      out.push(products[i]!);
      progress = true;
    }
  }
  if (out.length < products.length) {
    const stuck = products.filter((_, i) => !done[i]).map((p) => p.sku);
    throw new ReleaseRefused(`products ${stuck.join(", ")} trade barcodes in one release; give one of them no barcode in a release before`);
  }
  return out;
}

/** What a store has not received yet; releases take effect at their own times (schedule.ts has the rule). */
export { catalogChanges } from "./schedule.ts";

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * Products as published last, by name; `q` finds a piece of the name, sku, barcode or category, `skus` exactly these.
 * Folded in PostgreSQL, so a large catalog is not carried to the app to be searched.
 */
export async function currentProducts(sql: HqSql, options: { q?: string; skus?: string[]; limit?: number } = {}): Promise<Published<CatalogProduct>[]> {
  const q = options.q?.trim() ? likePattern(options.q.trim()) : null;
  const where = options.skus
    ? sql`WHERE item->>'sku' = ANY(${options.skus}::text[])`
    : q
      ? sql`WHERE item->>'name' ILIKE ${q} OR item->>'sku' ILIKE ${q} OR coalesce(item->>'barcode', '') LIKE ${q} OR coalesce(item->>'category', '') ILIKE ${q}`
      : sql``;
  return sql<Published<CatalogProduct>[]>`
    SELECT item, version, effective_at FROM (
      SELECT DISTINCT ON (e.p->>'sku') e.p AS item, r.version, r.effective_at
      FROM catalog_releases r, jsonb_array_elements(r.changes->'products') WITH ORDINALITY AS e(p, n)
      ORDER BY e.p->>'sku', r.version DESC, e.n DESC
    ) latest
    ${where}
    ORDER BY lower(item->>'name'), item->>'sku'
    LIMIT ${options.limit ?? 500}`;
}

/** Tax classes as published last, by code. */
export async function currentTaxClasses(sql: HqSql): Promise<Published<CatalogTaxClass>[]> {
  return sql<Published<CatalogTaxClass>[]>`
    SELECT DISTINCT ON (e.t->>'code') e.t AS item, r.version, r.effective_at
    FROM catalog_releases r, jsonb_array_elements(r.changes->'tax_classes') WITH ORDINALITY AS e(t, n)
    ORDER BY e.t->>'code', r.version DESC, e.n DESC`;
}

/** The releases, newest first, with how much each changed. */
export async function releaseHistory(sql: HqSql, limit = 200): Promise<ReleaseSummary[]> {
  return sql<ReleaseSummary[]>`
    SELECT version, published_at, effective_at, note, published_by,
      jsonb_array_length(changes->'products') AS products, jsonb_array_length(changes->'tax_classes') AS tax_classes
    FROM catalog_releases ORDER BY version DESC LIMIT ${limit}`;
}

/** Releases still to take effect, in the order they will: the draft page says what a new release meets. */
export async function scheduledReleases(sql: HqSql, now: Date): Promise<{ version: number; effective_at: Date }[]> {
  return sql<{ version: number; effective_at: Date }[]>`
    SELECT version, effective_at FROM catalog_releases WHERE effective_at > ${now} ORDER BY effective_at, version`;
}
