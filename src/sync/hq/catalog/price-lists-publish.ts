// Stores' own prices in releases: written with the release at publishing, read back for one store when it pulls.
// Apart from price-lists.ts (editing them), so draft.ts and schedule.ts can use these without an import cycle.

import type { CatalogReply, CatalogStorePrice } from "../../catalog-contracts.ts";
import type { HqSql, HqTransaction } from "../db/db.ts";

/** A store price change as the draft holds it: price null takes the store back to the chain's price. */
export type StorePriceChange = {
  store_id: string;
  store_name: string;
  sku: string;
  name: string;
  price: number | null;
  chain_price: number;
  was: number | null;
};

/**
 * Inside the publishing transaction, after the release is written: its store prices, and each store's price list as
 * published last. A change back to the chain's price for a store that has none is kept all the same (harmless).
 */
export async function publishStorePrices(tx: HqTransaction, version: number, rows: readonly { kind: string; item: unknown }[]): Promise<number> {
  const changes = rows.filter((r) => r.kind === "store_price").map((r) => r.item as StorePriceChange);
  if (changes.length === 0) return 0;
  const stores = changes.map((c) => c.store_id);
  const skus = changes.map((c) => c.sku);
  const prices = changes.map((c) => c.price);
  await tx`
    INSERT INTO catalog_release_prices (store_id, version, sku, price)
    SELECT s::uuid, ${version}, k, p FROM unnest(${stores}::text[], ${skus}::text[], ${prices}::int[]) AS c(s, k, p)`;
  await tx`
    DELETE FROM store_prices t USING unnest(${stores}::text[], ${skus}::text[], ${prices}::int[]) AS c(s, k, p)
    WHERE t.store_id = c.s::uuid AND t.sku = c.k AND c.p IS NULL`;
  await tx`
    INSERT INTO store_prices (store_id, sku, price, version)
    SELECT s::uuid, k, p, ${version} FROM unnest(${stores}::text[], ${skus}::text[], ${prices}::int[]) AS c(s, k, p) WHERE p IS NOT NULL
    ON CONFLICT (store_id, sku) DO UPDATE SET price = excluded.price, version = excluded.version`;
  return changes.length;
}

/** The store's prices each of these releases changes, by version: what a pulling store is sent with them. */
export async function storePricesOf(sql: HqSql, storeId: string, versions: readonly number[]): Promise<Map<number, CatalogStorePrice[]>> {
  const out = new Map<number, CatalogStorePrice[]>();
  if (versions.length === 0) return out;
  const rows = await sql<{ version: number; sku: string; price: number | null }[]>`
    SELECT version, sku, price FROM catalog_release_prices WHERE store_id = ${storeId} AND version = ANY(${versions as number[]}::bigint[]) ORDER BY version, sku`;
  for (const r of rows) {
    const v = Number(r.version);
    out.set(v, [...(out.get(v) ?? []), { sku: r.sku, price: r.price }]);
  }
  return out;
}

/**
 * The store's own prices in effect at `now`, for a snapshot: per product, the row of the release with the latest
 * effective time that has passed (then the higher version), as the catalog's fields are folded; null rows drop out.
 */
export async function storePricesInEffect(sql: HqSql, storeId: string, now: Date): Promise<CatalogStorePrice[]> {
  return sql<CatalogStorePrice[]>`
    SELECT sku, price FROM (
      SELECT DISTINCT ON (p.sku) p.sku, p.price FROM catalog_release_prices p JOIN catalog_releases r USING (version)
      WHERE p.store_id = ${storeId} AND r.effective_at <= ${now}
      ORDER BY p.sku, r.effective_at DESC, r.version DESC
    ) latest
    WHERE price IS NOT NULL ORDER BY sku`;
}

/**
 * A catalog reply made for one store: each release with the store's own prices it changes, and a snapshot with the
 * store's prices in effect. Other stores' prices are never sent.
 */
export async function withStorePrices(sql: HqSql, reply: CatalogReply, storeId: string, now: Date): Promise<CatalogReply> {
  const releases = reply.releases ?? [];
  const [byVersion, inEffect] = await Promise.all([
    storePricesOf(
      sql,
      storeId,
      releases.map((r) => r.version),
    ),
    reply.snapshot ? storePricesInEffect(sql, storeId, now) : Promise.resolve([]),
  ]);
  const out: CatalogReply = { ...reply };
  if (reply.releases) {
    out.releases = releases.map((r) => (byVersion.has(r.version) ? { ...r, changes: { ...r.changes, store_prices: byVersion.get(r.version)! } } : r));
  }
  if (reply.snapshot && inEffect.length > 0) out.snapshot = { ...reply.snapshot, changes: { ...reply.snapshot.changes, store_prices: inEffect } };
  return out;
}
