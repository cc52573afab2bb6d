// Catalog releases head office sent that this store keeps until their effective time (catalog_release_log, applied_at
// NULL; sync/catalog-puller.ts applies them), with what each will change: for the Devices page.
import type { Database } from "bun:sqlite";
import type { WaitingReleasesView } from "../../views/devices/waiting-releases.tsx";

/** The most the page lists; the rest are counted. */
export const WAITING_LIST_LIMIT = 50;

export function waitingReleases(db: Database) {
  // counted in SQLite: a release of the whole catalog is not parsed for three numbers
  const list = db.query<{ version: number; effective_at: string; products: number; tax_classes: number; store_prices: number }, [string, number]>(
    `SELECT version, effective_at,
            coalesce(json_array_length(changes, '$.products'), 0) AS products,
            coalesce(json_array_length(changes, '$.tax_classes'), 0) AS tax_classes,
            coalesce(json_array_length(changes, '$.store_prices'), 0) AS store_prices
       FROM catalog_release_log WHERE applied_at IS NULL AND effective_at > ?
      ORDER BY effective_at, version LIMIT ?`,
  );
  const count = db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM catalog_release_log WHERE applied_at IS NULL AND effective_at > ?");

  /** Those whose time is after `now`, soonest first (a due one not applied yet is the catalog error's business). */
  return (now: Date): WaitingReleasesView => {
    const at = now.toISOString();
    const rows = list.all(at, WAITING_LIST_LIMIT).map((r) => ({
      version: r.version,
      effectiveAt: r.effective_at,
      products: r.products,
      taxClasses: r.tax_classes,
      storePrices: r.store_prices,
    }));
    return { rows, total: rows.length < WAITING_LIST_LIMIT ? rows.length : count.get(at)!.n };
  };
}
