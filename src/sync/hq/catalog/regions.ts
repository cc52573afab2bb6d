// Price lists by region: a region's price for a product holds at every store of the region, over the chain's price,
// and a store's own price holds over its region's. Regions are named at once; their prices and which store is in
// which go into the draft release and reach the stores when it is published (price-lists-publish.ts).

import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import type { RegionPriceView, RegionView } from "../../../views/hq/catalog-regions.tsx";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";
import { maySee, type StoreFilter, storesIn } from "../people/store-filter.ts";
import { ChangeRefused, type Problems } from "./draft.ts";
import { listPriceForm } from "./price-lists.ts";
import type { RegionPriceChange, StoreRegionChange } from "./price-lists-publish.ts";

const MAX_REGION_NAME = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A region the list does not take: its sentence beside the name field, and nothing written. */
export class RegionRefused extends Problem {
  constructor(message: string) {
    super("invalid_input", message, { name: message });
  }
}

/**
 * Every region with how many stores (of those the person may see) and prices it has as published, alphabetical
 * whatever the case.
 */
export async function regionList(sql: HqSql, seen: StoreFilter = null): Promise<RegionView[]> {
  return sql<RegionView[]>`
    SELECT g.region_id::int AS region_id, g.name,
      (SELECT count(*)::int FROM stores s WHERE s.region_id = g.region_id ${storesIn(sql, seen, "s.store_id")}) AS stores,
      (SELECT count(*)::int FROM region_prices p WHERE p.region_id = g.region_id) AS prices
    FROM regions g ORDER BY lower(g.name), g.region_id`;
}

/** A region by its number, or a Problem a person can act on. */
export async function regionFound(sql: HqSql, id: string | number): Promise<{ region_id: number; name: string }> {
  const n = Number(id);
  const [r] =
    Number.isSafeInteger(n) && n > 0
      ? await sql<{ region_id: number; name: string }[]>`SELECT region_id::int AS region_id, name FROM regions WHERE region_id = ${n}`
      : [];
  if (!r) throw new Problem("region_not_found", "There is no such region; pick one from the list of regions.");
  return r;
}

/** Name a region. Refused with a sentence when empty, too long, or taken in any case. Audited. */
export async function addRegion(sql: HqSql, typed: string, by: string): Promise<{ region_id: number; name: string }> {
  const name = typed.trim().replace(/\s+/g, " ");
  if (!name) throw new RegionRefused("Type the region's name, such as North.");
  const problem = textProblem(name, "The region's name", { max: MAX_REGION_NAME });
  if (problem) throw new RegionRefused(problem.message);
  return sql.begin(async (tx) => {
    const [added] = await tx<{ region_id: number; name: string }[]>`
      INSERT INTO regions (name, created_by) VALUES (${name}, ${by}) ON CONFLICT DO NOTHING RETURNING region_id::int AS region_id, name`;
    if (!added) {
      const [had] = await tx<{ name: string }[]>`SELECT name FROM regions WHERE lower(name) = lower(${name})`;
      throw new RegionRefused(`There is a region ${had?.name ?? name} already.`);
    }
    await hqAudit(tx, { who: by, action: "region.added", subject: `region ${added.name}`, after: added });
    return added;
  });
}

/**
 * Put a region's price for a product in the draft; an empty price (or "chain") takes the region's stores back to
 * the chain's price. Throws ChangeRefused with a sentence per field; nothing is written then.
 */
export async function draftRegionPrice(
  sql: HqSql,
  region: { region_id: number; name: string },
  form: { sku?: string; price?: string },
  o: { digits: number; by: string },
): Promise<RegionPriceChange> {
  const problems: Problems = {};
  const { sku, product, price, toChain } = await listPriceForm(sql, form, "a region price", o.digits, problems);
  const key = `${region.region_id}/${sku}`;
  let was: number | null = null;
  if (product) {
    const [had] = await sql<{ price: number }[]>`SELECT price FROM region_prices WHERE region_id = ${region.region_id} AND sku = ${sku}`;
    was = had?.price ?? null;
    const [pending] = await sql`SELECT 1 FROM catalog_draft_changes WHERE kind = 'region_price' AND key = ${key}`;
    if (toChain && was === null && !pending) problems.price = `${region.name} sells ${sku} at the chain's price already; type a price for it.`;
  }
  if (Object.keys(problems).length > 0) throw new ChangeRefused(problems);
  const change: RegionPriceChange = {
    region_id: region.region_id,
    region_name: region.name,
    sku,
    name: product!.name,
    price,
    chain_price: product!.price,
    was,
  };
  await sql`
    INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
    VALUES ('region_price', ${key}, ${sql.json(change as never)}, ${o.by}, now())
    ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item, changed_by = excluded.changed_by, changed_at = excluded.changed_at`;
  return change;
}

/**
 * Put a store's move into a region (or out of every region: `region` null) in the draft. Refused with a sentence
 * when the store is not one the person may see, or is in that region already. Nothing is written then.
 */
export async function draftStoreRegion(
  sql: HqSql,
  storeId: string,
  region: { region_id: number; name: string } | null,
  o: { by: string; stores: StoreFilter },
): Promise<StoreRegionChange> {
  const id = storeId.trim();
  const [store] = UUID.test(id)
    ? await sql<{ store_id: string; name: string; region_id: number | null; region_name: string | null }[]>`
        SELECT s.store_id::text AS store_id, s.name, s.region_id::int AS region_id, g.name AS region_name
        FROM stores s LEFT JOIN regions g USING (region_id) WHERE s.store_id = ${id} ${storesIn(sql, o.stores, "s.store_id")}`
    : [];
  if (!store) throw new ChangeRefused({ store_id: "Choose a store from the list." });
  const to = region?.region_id ?? null;
  const [pending] = await sql`SELECT 1 FROM catalog_draft_changes WHERE kind = 'store_region' AND key = ${store.store_id}`;
  if (store.region_id === to && !pending) {
    throw new ChangeRefused({ store_id: region ? `${store.name} is in ${region.name} already.` : `${store.name} is in no region already.` });
  }
  const change: StoreRegionChange = {
    store_id: store.store_id,
    store_name: store.name,
    region_id: to,
    region_name: region?.name ?? null,
    was_id: store.region_id,
    was_name: store.region_name,
  };
  await sql`
    INSERT INTO catalog_draft_changes (kind, key, item, changed_by, changed_at)
    VALUES ('store_region', ${store.store_id}, ${sql.json(change as never)}, ${o.by}, now())
    ON CONFLICT (kind, key) DO UPDATE SET item = excluded.item, changed_by = excluded.changed_by, changed_at = excluded.changed_at`;
  return change;
}

/**
 * One region as published last: its prices with the chain's beside each, its stores, and what the draft changes. A
 * person limited to some stores is shown only theirs among its stores and moves: another is one head office does not have.
 */
export async function regionPriceList(sql: HqSql, regionId: number, seen: StoreFilter = null) {
  const [published, stores, prices, moves] = await Promise.all([
    sql<RegionPriceView[]>`
      SELECT r.sku, coalesce(p.name, r.sku) AS name, r.price, (p.item->>'price')::int AS chain_price, r.version::int AS version
      FROM region_prices r LEFT JOIN catalog_products p USING (sku)
      WHERE r.region_id = ${regionId} ORDER BY lower(coalesce(p.name, r.sku)), r.sku LIMIT 2000`,
    sql<{ store_id: string; name: string }[]>`
      SELECT store_id::text AS store_id, name FROM stores WHERE region_id = ${regionId} ${storesIn(sql, seen, "store_id")} ORDER BY lower(name)`,
    sql<{ item: RegionPriceChange }[]>`SELECT item FROM catalog_draft_changes WHERE kind = 'region_price' AND key LIKE ${`${regionId}/%`} ORDER BY key`,
    sql<{ item: StoreRegionChange }[]>`
      SELECT item FROM catalog_draft_changes
      WHERE kind = 'store_region' AND ((item->>'region_id')::bigint = ${regionId} OR (item->>'was_id')::bigint = ${regionId}) ORDER BY key`,
  ]);
  return { published, stores, draft: prices.map((d) => d.item), moves: moves.map((d) => d.item).filter((m) => maySee(seen, m.store_id)) };
}

/** Every store a person may see with the region it is in as published (for the move form). */
export async function storesWithRegions(sql: HqSql, filter: StoreFilter) {
  return sql<{ store_id: string; name: string; region: string | null }[]>`
    SELECT s.store_id::text AS store_id, s.name, g.name AS region FROM stores s LEFT JOIN regions g USING (region_id)
    WHERE s.retired_at IS NULL ${storesIn(sql, filter, "s.store_id")} ORDER BY lower(s.name), s.store_id`;
}
