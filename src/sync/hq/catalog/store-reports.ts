// What a store says of its catalog after each pull: the version it applied, the head-office products it could not give
// their barcode (a product of the store's own holds it), and its last catalog error. Kept per store for the dashboard.
import { z } from "zod";
import { gatedText } from "../../../server/platform/http/validate.ts";
import type { HqSql } from "../db/db.ts";

const problem = z.strictObject({
  sku: gatedText(64, { cardLike: true }).pipe(z.string().min(1)),
  version: z.int().min(1),
  barcode: z.string().regex(/^\d{8,14}$/),
  held_by_sku: gatedText(64, { cardLike: true }).pipe(z.string().min(1)),
  held_by_name: gatedText(200),
});

export const catalogReport = z.strictObject({
  version: z.int().min(0),
  problems: z.array(problem).max(10_000),
  error: gatedText(1000).nullable(),
});
export type CatalogReport = z.infer<typeof catalogReport>;
export type CatalogProblemRow = z.infer<typeof problem>;

export async function saveCatalogReport(sql: HqSql, storeId: string, report: CatalogReport, at: Date): Promise<void> {
  await sql`
    UPDATE stores SET catalog_version = ${report.version}, catalog_problems = ${sql.json(report.problems as never)},
      catalog_error = ${report.error}, catalog_reported_at = ${at}
    WHERE store_id = ${storeId}::uuid`;
}
