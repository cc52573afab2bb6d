// The catalog page's product list at chain scale: filtered by category, tax class, on sale or not and changed since,
// 50 to a page, paged by keyset (the last name and SKU seen) so page 20,000 costs what page 1 costs. It reads
// catalog_products, which a trigger keeps as the products published last (migration 016).

import { z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import type { CatalogListView } from "../../../views/hq/catalog-list.tsx";
import type { HqSql } from "../db/db.ts";
import type { CatalogProduct, CatalogTaxClass, Published } from "./releases.ts";

/** Rows on one page of the catalog list. */
export const PAGE_SIZE = 50;

/** Where a page starts: after (or, going back, before) this name and SKU in the list's order. */
export type Cursor = { name: string; sku: string };

export type CatalogFilter = {
  q: string;
  category: string;
  taxClass: string;
  /** "yes" on sale only, "no" off sale only, "" both */
  active: "" | "yes" | "no";
  /** Products whose last release was published at or after this day (UTC), or null. */
  changedSince: Date | null;
};

export type CatalogListPage = CatalogListView<CatalogProduct>;

const cursorSchema = z.strictObject({ name: z.string().max(400), sku: z.string().max(64) });

/** A cursor as the page's links carry it: short, opaque, safe in a URL. */
export const cursorText = (c: Cursor) => Buffer.from(JSON.stringify([c.name, c.sku])).toString("base64url");

function readCursor(text: string | undefined): Cursor | null {
  if (!text) return null;
  try {
    const [name, sku] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown[];
    const c = cursorSchema.safeParse({ name, sku });
    if (c.success) return c.data;
  } catch {
    // refused below, in words
  }
  throw new Problem("invalid_input", "That page link is damaged; go back to the first page of the catalog.");
}

/**
 * The list's query string, checked: every filter is optional; a bad one is refused with a sentence rather than ignored,
 * so a person never reads an unfiltered list believing it filtered.
 */
export function readListQuery(query: Record<string, string | undefined>): { filter: CatalogFilter; after: Cursor | null; before: Cursor | null } {
  const one = (k: string, max: number) => (query[k] ?? "").trim().slice(0, max);
  const active = one("active", 3);
  if (!["", "yes", "no"].includes(active)) throw new Problem("invalid_input", "On sale is yes, no or empty for both.");
  const since = one("changed_since", 10);
  let changedSince: Date | null = null;
  if (since) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(since);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== since) {
      throw new Problem("invalid_input", "Changed since is a day like 2026-12-01, or empty.");
    }
    changedSince = d;
  }
  return {
    filter: { q: one("q", 100), category: one("category", 60), taxClass: one("tax_class", 20), active: active as CatalogFilter["active"], changedSince },
    after: readCursor(query.after),
    before: readCursor(query.before),
  };
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * One page of products in name order (then SKU), with the cursors of the pages before and after it. Going back reads
 * the index backwards from `before` and turns the rows round, so both directions are one index range scan.
 */
export async function catalogListPage(
  sql: HqSql,
  filter: CatalogFilter,
  at: { after?: Cursor | null; before?: Cursor | null } = {},
  size = PAGE_SIZE,
): Promise<CatalogListPage> {
  const q = filter.q ? likePattern(filter.q) : null;
  const conditions = [
    filter.category ? sql`category = ${filter.category}` : null,
    filter.taxClass ? sql`tax_class = ${filter.taxClass}` : null,
    filter.active ? sql`active = ${filter.active === "yes"}` : null,
    filter.changedSince ? sql`changed_at >= ${filter.changedSince}` : null,
    q ? sql`(name ILIKE ${q} OR sku ILIKE ${q} OR coalesce(item->>'barcode', '') LIKE ${q} OR coalesce(category, '') ILIKE ${q})` : null,
    at.before
      ? sql`(lower(name), sku) < (lower(${at.before.name}), ${at.before.sku})`
      : at.after
        ? sql`(lower(name), sku) > (lower(${at.after.name}), ${at.after.sku})`
        : null,
  ].filter((c) => c !== null);
  const where = conditions.length === 0 ? sql`` : sql`WHERE ${conditions.reduce((a, b) => sql`${a} AND ${b}`)}`;
  const backwards = Boolean(at.before);
  const rows = await sql<{ item: CatalogProduct; version: number; effective_at: Date; changed_at: Date }[]>`
    SELECT item, version, effective_at, changed_at FROM catalog_products ${where}
    ORDER BY ${backwards ? sql`lower(name) DESC, sku DESC` : sql`lower(name), sku`}
    LIMIT ${size + 1}`;
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const cursorOf = (r: { item: CatalogProduct } | undefined) => (r ? cursorText({ name: r.item.name, sku: r.item.sku }) : null);
  // forwards: a next page when there was one row more; a previous page whenever this is not the first
  // backwards: a previous page when there was one row more; a next page always (we came from it)
  return {
    rows: page,
    next: (backwards ? page.length > 0 : more) ? cursorOf(last) : null,
    previous: (backwards ? more : Boolean(at.after)) ? cursorOf(first) : null,
  };
}

/** The choices of the filter boxes: categories and tax classes in use. */
export async function listChoices(sql: HqSql): Promise<{ categories: string[]; taxClasses: string[] }> {
  const [categories, taxes] = await Promise.all([
    sql<{ name: string }[]>`SELECT name FROM catalog_categories ORDER BY lower(name)`,
    sql<{ code: string }[]>`SELECT code FROM catalog_tax_classes ORDER BY code`,
  ]);
  return { categories: categories.map((c) => c.name), taxClasses: taxes.map((t) => t.code) };
}

/** Tax classes as published last, by code (what currentTaxClasses folds from the releases, kept in a table). */
export async function publishedTaxClasses(sql: HqSql): Promise<Published<CatalogTaxClass>[]> {
  return sql<Published<CatalogTaxClass>[]>`SELECT item, version, effective_at FROM catalog_tax_classes ORDER BY code`;
}
