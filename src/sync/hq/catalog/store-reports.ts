// What a store says of its catalog after each pull: the version it applied (every release up to it received, and each
// one whose time has come in effect), the releases it holds waiting for their time, the head-office products it could
// not give their barcode (a product of the store's own holds it), and its last catalog error. Kept per store for the
// dashboard.
import type { CatalogReport } from "../../catalog-contracts.ts";
import type { HqSql } from "../db/db.ts";

export async function saveCatalogReport(sql: HqSql, storeId: string, report: CatalogReport, at: Date): Promise<void> {
  await sql`
    UPDATE stores SET catalog_version = ${report.version}, catalog_problems = ${sql.json(report.problems as never)},
      catalog_error = ${report.error}, catalog_reported_at = ${at},
      catalog_pending = ${report.pending ?? []}::bigint[]
    WHERE store_id = ${storeId}::uuid`;
}
