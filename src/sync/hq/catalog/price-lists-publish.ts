// Price lists in releases: written with the release at publishing, read back for one store when it pulls. Each store
// gets two layers of rows: its own prices, and its region's (a region price written for every store in the region
// then, a store moved to another region given a row for each product either region prices). Apart from
// price-lists.ts and regions.ts (editing them), so draft.ts and schedule.ts can use these without an import cycle.

import { Problem } from "../../../domain/kernel/problem.ts";
import type { StorePriceChangeView } from "../../../views/hq/catalog-prices.tsx";
import type { RegionPriceChangeView, StoreRegionChangeView } from "../../../views/hq/catalog-regions.tsx";
import type { CatalogChanges, CatalogReply, CatalogStorePrice } from "../../catalog-contracts.ts";
import type { HqSql, HqTransaction } from "../db/db.ts";

/** A store price change as the draft holds it: price null takes the store back to the chain's price. */
export type StorePriceChange = StorePriceChangeView;
/** A region price change as the draft holds it: price null takes the region's stores back to the chain's price. */
export type RegionPriceChange = RegionPriceChangeView;
/** A store moving to another region (region_id null: to none), as the draft holds it. */
export type StoreRegionChange = StoreRegionChangeView;

/** The draft's kinds that are price lists: published by publishPriceLists, not in the release's own changes. */
export const PRICE_LIST_KINDS = ["store_price", "region_price", "store_region"] as const;

/**
 * Inside the publishing transaction, after the release is written: its price list rows for each store, and the price
 * lists as published last. A change back to the chain's price where there was none is kept all the same (harmless).
 * A store moves at the release's time; a move is refused (release_refused, nothing published) unless the release is
 * the latest in time for both regions and the store, so no price scheduled before it can land after it.
 */
export async function publishPriceLists(
  tx: HqTransaction,
  release: { version: number; effective_at: string },
  rows: readonly { kind: string; item: unknown }[],
  now: Date,
): Promise<number> {
  const moves = await movesFromWhereTheyAre(
    tx,
    rows.filter((r) => r.kind === "store_region").map((r) => r.item as StoreRegionChange),
  );
  const regional = rows.filter((r) => r.kind === "region_price").map((r) => r.item as RegionPriceChange);
  await publishOwnPrices(
    tx,
    release.version,
    rows.filter((r) => r.kind === "store_price").map((r) => r.item as StorePriceChange),
  );
  if (moves.length > 0) await checkMoves(tx, release, moves, now);
  if (regional.length > 0) await checkPricesAfterMoves(tx, release, regional);
  const version = release.version;
  if (regional.length > 0) {
    const ids = regional.map((c) => c.region_id);
    const skus = regional.map((c) => c.sku);
    const prices = regional.map((c) => c.price);
    await tx`
      INSERT INTO catalog_release_region_prices (region_id, version, sku, price)
      SELECT r, ${version}, k, p FROM unnest(${ids}::bigint[], ${skus}::text[], ${prices}::int[]) AS c(r, k, p)`;
    await tx`
      DELETE FROM region_prices t USING unnest(${ids}::bigint[], ${skus}::text[], ${prices}::int[]) AS c(r, k, p)
      WHERE t.region_id = c.r AND t.sku = c.k AND c.p IS NULL`;
    await tx`
      INSERT INTO region_prices (region_id, sku, price, version)
      SELECT r, k, p, ${version} FROM unnest(${ids}::bigint[], ${skus}::text[], ${prices}::int[]) AS c(r, k, p) WHERE p IS NOT NULL
      ON CONFLICT (region_id, sku) DO UPDATE SET price = excluded.price, version = excluded.version`;
  }
  const moved = moves.map((m) => m.store_id);
  if (moves.length > 0) {
    await tx`
      INSERT INTO catalog_release_regions (store_id, version, region_id)
      SELECT s::uuid, ${version}, r FROM unnest(${moved}::text[], ${moves.map((m) => m.region_id)}::bigint[]) AS c(s, r)`;
    await tx`
      UPDATE stores t SET region_id = c.r FROM unnest(${moved}::text[], ${moves.map((m) => m.region_id)}::bigint[]) AS c(s, r)
      WHERE t.store_id = c.s::uuid`;
    // a moved store: a row for each product its old or new region prices, or any region price it was ever sent (one
    // its old region takes back to the chain's in this very release is no longer in region_prices), at the new
    // region's price or none
    await tx`
      INSERT INTO catalog_release_prices (store_id, version, layer, region_id, sku, price)
      SELECT c.s::uuid, ${version}, 'region', c.r, k.sku, np.price
      FROM unnest(${moved}::text[], ${moves.map((m) => m.region_id)}::bigint[], ${moves.map((m) => m.was_id)}::bigint[]) AS c(s, r, w)
      CROSS JOIN LATERAL (
        SELECT sku FROM region_prices WHERE region_id IN (c.r, c.w)
        UNION
        SELECT sku FROM catalog_release_prices
        WHERE store_id = c.s::uuid AND layer = 'region' AND version <> ${version} AND price IS NOT NULL
      ) k
      LEFT JOIN region_prices np ON np.region_id = c.r AND np.sku = k.sku
      GROUP BY c.s, c.r, k.sku, np.price`;
  }
  if (regional.length > 0) {
    // the other stores of a region whose prices changed: that change, the moved stores having had theirs above
    await tx`
      INSERT INTO catalog_release_prices (store_id, version, layer, region_id, sku, price)
      SELECT st.store_id, ${version}, 'region', c.r, c.k, c.p
      FROM unnest(${regional.map((c) => c.region_id)}::bigint[], ${regional.map((c) => c.sku)}::text[], ${regional.map((c) => c.price)}::int[]) AS c(r, k, p)
      JOIN stores st ON st.region_id = c.r
      WHERE NOT (st.store_id::text = ANY(${moved}::text[]))`;
  }
  return rows.filter((r) => (PRICE_LIST_KINDS as readonly string[]).includes(r.kind)).length;
}

/**
 * The moves with the region each store is in now, read under the publishing lock: a move drafted while another publish
 * moved the store says the region it was in then, and the rows it leaves behind are those of where it is.
 */
async function movesFromWhereTheyAre(tx: HqTransaction, moves: StoreRegionChange[]): Promise<StoreRegionChange[]> {
  if (moves.length === 0) return moves;
  const now = await tx<{ store_id: string; region_id: number | null; name: string | null }[]>`
    SELECT s.store_id::text AS store_id, s.region_id::int AS region_id, g.name
    FROM stores s LEFT JOIN regions g USING (region_id)
    WHERE s.store_id = ANY(${moves.map((m) => m.store_id)}::uuid[]) FOR UPDATE OF s`;
  const where = new Map(now.map((r) => [r.store_id, r]));
  return moves.map((m) => {
    const s = where.get(m.store_id.toLowerCase());
    return s ? { ...m, was_id: s.region_id, was_name: s.name } : m;
  });
}

const refused = (why: string) => new Problem("release_refused", `The draft cannot be published: ${why}. Nothing was published.`);

/**
 * A move is exact only if nothing scheduled for the store's old or new region, or for the store's own region rows,
 * takes effect after it; else a price of the region it left could land after it. Moves take effect when published.
 */
async function checkMoves(tx: HqTransaction, release: { version: number; effective_at: string }, moves: StoreRegionChange[], now: Date): Promise<void> {
  const at = new Date(release.effective_at);
  if (at.getTime() > now.getTime() + 60_000) {
    throw refused("a store moves to another region when published; publish the moves without an effective time, in a release of their own");
  }
  const regions = [...new Set(moves.flatMap((m) => [m.region_id, m.was_id]).filter((r): r is number => r !== null))];
  const [later] = await tx<{ name: string; effective_at: Date }[]>`
    SELECT g.name, r.effective_at FROM catalog_release_region_prices p JOIN catalog_releases r USING (version) JOIN regions g USING (region_id)
    WHERE p.region_id = ANY(${regions}::bigint[]) AND r.version <> ${release.version} AND r.effective_at > ${at}
    ORDER BY r.effective_at DESC LIMIT 1`;
  if (later) {
    throw refused(
      `${later.name} has prices scheduled for ${later.effective_at.toISOString().slice(0, 16).replace("T", " ")} UTC; move the store once they are in effect, or take them back first`,
    );
  }
  const [again] = await tx<{ name: string }[]>`
    SELECT st.name FROM catalog_release_regions m JOIN catalog_releases r USING (version) JOIN stores st USING (store_id)
    WHERE m.store_id = ANY(${moves.map((m) => m.store_id)}::uuid[]) AND r.version <> ${release.version} AND r.effective_at > ${at} LIMIT 1`;
  if (again) throw refused(`${again.name} has a move to a region taking effect later; publish this one after it`);
}

/**
 * A region's price may not take effect before a store's move into the region that is in effect after it: the moved
 * store was sent the region's prices with its move, which would hold over this one there, and the region's stores
 * would sell at two prices while its page shows one.
 */
async function checkPricesAfterMoves(tx: HqTransaction, release: { version: number; effective_at: string }, regional: RegionPriceChange[]): Promise<void> {
  const [later] = await tx<{ region: string; store: string; effective_at: Date }[]>`
    SELECT g.name AS region, st.name AS store, r.effective_at
    FROM catalog_release_regions m JOIN catalog_releases r ON r.version = m.version
      JOIN regions g ON g.region_id = m.region_id JOIN stores st ON st.store_id = m.store_id
    WHERE m.region_id = ANY(${[...new Set(regional.map((c) => c.region_id))]}::bigint[]) AND m.version <> ${release.version}
      AND r.effective_at > ${new Date(release.effective_at)}
    ORDER BY r.effective_at DESC LIMIT 1`;
  if (later) {
    const when = later.effective_at.toISOString().slice(0, 16).replace("T", " ");
    throw refused(`${later.store} moved into ${later.region} at ${when} UTC, after this release's time; give ${later.region}'s prices a time after that`);
  }
}

/** Stores' own prices: the release's rows, and each store's price list as published last. */
async function publishOwnPrices(tx: HqTransaction, version: number, changes: StorePriceChange[]): Promise<void> {
  if (changes.length === 0) return;
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
}

type Layer = "store" | "region";
type LayerRows = Record<Layer, CatalogStorePrice[]>;

/** The store's rows of each of these releases, by version and layer: what a pulling store is sent with them. */
export async function storePricesOf(sql: HqSql, storeId: string, versions: readonly number[]): Promise<Map<number, LayerRows>> {
  const out = new Map<number, LayerRows>();
  if (versions.length === 0) return out;
  const rows = await sql<{ version: number; layer: Layer; sku: string; price: number | null }[]>`
    SELECT version, layer, sku, price FROM catalog_release_prices
    WHERE store_id = ${storeId} AND version = ANY(${versions as number[]}::bigint[]) ORDER BY version, layer, sku`;
  for (const r of rows) {
    const v = Number(r.version);
    const at = out.get(v) ?? { store: [], region: [] };
    at[r.layer].push({ sku: r.sku, price: r.price });
    out.set(v, at);
  }
  return out;
}

/**
 * The store's own prices in effect at `now`, for a snapshot: per product, the row of the release with the latest
 * effective time that has passed (then the higher version), as the catalog's fields are folded; null rows drop out.
 */
export async function storePricesInEffect(sql: HqSql, storeId: string, now: Date, layer: Layer = "store"): Promise<CatalogStorePrice[]> {
  return sql<CatalogStorePrice[]>`
    SELECT sku, price FROM (
      SELECT DISTINCT ON (p.sku) p.sku, p.price FROM catalog_release_prices p JOIN catalog_releases r USING (version)
      WHERE p.store_id = ${storeId} AND p.layer = ${layer} AND r.effective_at <= ${now}
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
  const [byVersion, own, region] = await Promise.all([
    storePricesOf(
      sql,
      storeId,
      releases.map((r) => r.version),
    ),
    reply.snapshot ? storePricesInEffect(sql, storeId, now) : Promise.resolve([]),
    reply.snapshot ? storePricesInEffect(sql, storeId, now, "region") : Promise.resolve([]),
  ]);
  // each layer only where it has rows, so a release without any is sent as before
  const withRows = (changes: CatalogChanges, rows: LayerRows): CatalogChanges => ({
    ...changes,
    ...(rows.store.length > 0 ? { store_prices: rows.store } : {}),
    ...(rows.region.length > 0 ? { region_prices: rows.region } : {}),
  });
  const out: CatalogReply = { ...reply };
  if (reply.releases) out.releases = releases.map((r) => (byVersion.has(r.version) ? { ...r, changes: withRows(r.changes, byVersion.get(r.version)!) } : r));
  if (reply.snapshot && own.length + region.length > 0) out.snapshot = { ...reply.snapshot, changes: withRows(reply.snapshot.changes, { store: own, region }) };
  return out;
}
