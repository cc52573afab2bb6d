// Price lists: a store's own price for a product, over the chain's, for that store only. A change goes into the draft
// release like any other (kind store_price, one per store and product), is published with it, and reaches only that
// store: each release keeps its stores' prices in catalog_release_prices, and a store pulling is sent its own rows.

import { Problem } from "../../../domain/kernel/problem.ts";
import type { StorePriceView } from "../../../views/hq/catalog-prices.tsx";
import type { HqSql } from "../db/db.ts";
import { type StoreFilter, storesIn } from "../people/store-filter.ts";
import { ChangeRefused, type Problems, priceFromText } from "./draft.ts";

import type { StorePriceChange } from "./price-lists-publish.ts";

export type { StorePriceChange };

const draftKey = (storeId: string, sku: string) => `${storeId}/${sku}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StoreChoice = { store_id: string; name: string };

/** The stores to pick from: those the person may see (null: every store). */
export async function storeChoices(sql: HqSql, seen: StoreFilter = null): Promise<StoreChoice[]> {
  return sql<StoreChoice[]>`
    SELECT store_id::text AS store_id, name FROM stores WHERE true ${storesIn(sql, seen, "store_id")} ORDER BY lower(name), store_id`;
}

/** A store by its id, or a Problem a person can act on. */
export async function storeFound(sql: HqSql, storeId: string): Promise<StoreChoice> {
  const [s] = UUID.test(storeId) ? await sql<StoreChoice[]>`SELECT store_id::text AS store_id, name FROM stores WHERE store_id = ${storeId}` : [];
  if (!s) throw new Problem("store_not_found", "There is no such store; pick one from the list.");
  return s;
}

/**
 * Put a store's own price for a product in the draft; an empty price (or "chain") takes the store back to the
 * chain's price. Throws ChangeRefused with a sentence per field; nothing is written then.
 */
export async function draftStorePrice(
  sql: HqSql,
  form: { store_id?: string; sku?: string; price?: string },
  o: { digits: number; by: string },
): Promise<StorePriceChange> {
  const problems: Problems = {};
  const storeId = (form.store_id ?? "").trim();
  const [store] = UUID.test(storeId) ? await sql<StoreChoice[]>`SELECT store_id::text AS store_id, name FROM stores WHERE store_id = ${storeId}` : [];
  if (!store) problems.store_id = "Choose a store from the list.";
  const { sku, product, price, toChain } = await listPriceForm(sql, form, "a store price", o.digits, problems);
  let was: number | null = null;
  if (store && product) {
    const [own] = await sql<{ price: number }[]>`SELECT price FROM store_prices WHERE store_id = ${store.store_id} AND sku = ${sku}`;
    was = own?.price ?? null;
    const [pending] = await sql`SELECT 1 FROM catalog_draft_changes WHERE kind = 'store_price' AND key = ${draftKey(store.store_id, sku)}`;
    if (toChain && was === null && !pending) problems.price = `${store.name} sells ${sku} at the chain's price already; type a price for it.`;
  }
  if (Object.keys(problems).length > 0) throw new ChangeRefused(problems);
  const change: StorePriceChange = { store_id: store!.store_id, store_name: store!.name, sku, name: product!.name, price, chain_price: product!.price, was };
  await sql`
    INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
    VALUES ('store_price', ${draftKey(store!.store_id, sku)}, ${sql.json(change as never)}, ${o.by}, now())
    ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item, changed_by = excluded.changed_by, changed_at = excluded.changed_at`;
  return change;
}

/**
 * The product and price fields of a price list's form (a store's or a region's), each refusal put in `problems` by
 * field: an empty price (or "chain") takes the product back to the chain's price.
 */
export async function listPriceForm(sql: HqSql, form: { sku?: string; price?: string }, what: string, digits: number, problems: Problems) {
  const sku = (form.sku ?? "").trim().slice(0, 64);
  const product = await productToPrice(sql, sku);
  if (!product) problems.sku = sku ? `There is no product with SKU ${sku}; ${what} is for a product of the catalog.` : "Type the product's SKU.";
  const typed = (form.price ?? "").trim();
  const toChain = typed === "" || typed.toLowerCase() === "chain";
  let price: number | null = null;
  if (!toChain) {
    const r = priceFromText(typed, digits);
    if (r.problem) problems.price = r.problem;
    else price = r.price!;
  }
  return { sku, product, price, toChain };
}

/** A product's name and chain price as the draft will publish it, else as published last; null when there is none. */
export async function productToPrice(sql: HqSql, sku: string): Promise<{ name: string; price: number } | null> {
  if (!sku) return null;
  const [product] = await sql<{ name: string; price: number }[]>`
    SELECT item->>'name' AS name, (item->>'price')::int AS price FROM catalog_draft_changes WHERE kind = 'product' AND key = ${sku}
    UNION ALL
    SELECT name, (item->>'price')::int FROM catalog_products WHERE sku = ${sku}
    LIMIT 1`;
  return product ?? null;
}

/** One store's price list as published last, with the chain's price beside each, and what the draft changes for it. */
export async function storePriceList(sql: HqSql, storeId: string): Promise<{ published: StorePriceView[]; draft: StorePriceChange[] }> {
  const [published, draft] = await Promise.all([
    sql<StorePriceView[]>`
      SELECT s.sku, coalesce(p.name, s.sku) AS name, s.price, (p.item->>'price')::int AS chain_price, s.version
      FROM store_prices s LEFT JOIN catalog_products p USING (sku)
      WHERE s.store_id = ${storeId} ORDER BY lower(coalesce(p.name, s.sku)), s.sku LIMIT 2000`,
    sql<{ item: StorePriceChange }[]>`
      SELECT item FROM catalog_draft_changes WHERE kind = 'store_price' AND key LIKE ${`${storeId}/%`} ORDER BY key`,
  ]);
  return { published, draft: draft.map((d) => d.item) };
}
