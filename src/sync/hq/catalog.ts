// Head office's catalog: releases of tax classes and products (prices with an effective time), gapless versions.
import { z } from "zod";
import type { HqSql } from "./db.ts";

const taxClass = z.strictObject({ code: z.string().min(1).max(20), name: z.string().min(1).max(60), rate_bp: z.number().int().min(0).max(10000) });
const product = z.strictObject({
  sku: z.string().min(1).max(64),
  barcode: z.string().regex(/^\d{8,14}$/).nullable().default(null),
  name: z.string().min(1).max(200),
  price: z.number().int().min(0).max(100_000_000),
  tax_class: z.string().min(1).max(20),
  category: z.string().max(60).nullable().default(null),
  weighed: z.boolean().default(false),
  active: z.boolean().default(true),
});
export const releaseChanges = z.strictObject({ tax_classes: z.array(taxClass).default([]), products: z.array(product).default([]) });
export type ReleaseChanges = z.infer<typeof releaseChanges>;
export type Release = { version: number; effective_at: string; changes: ReleaseChanges };

export class ReleaseRefused extends Error {}

/** Every release folded in order: the catalog as of the latest version. */
export async function catalogSnapshot(sql: HqSql): Promise<{ version: number; changes: ReleaseChanges }> {
  const rows = await sql<{ version: number; changes: ReleaseChanges }[]>`SELECT version, changes FROM catalog_releases ORDER BY version`;
  const taxes = new Map<string, ReleaseChanges["tax_classes"][number]>();
  const products = new Map<string, ReleaseChanges["products"][number]>();
  for (const r of rows) {
    for (const t of r.changes.tax_classes) taxes.set(t.code, t);
    for (const p of r.changes.products) products.set(p.sku, p);
  }
  return { version: rows.at(-1)?.version ?? 0, changes: { tax_classes: [...taxes.values()], products: [...products.values()] } };
}

/**
 * Publish a release. The version is the next after the last, taken in the inserting statement itself: two publishers
 * at once cannot both get it (primary key), the loser takes the next, so versions stay gapless.
 */
export async function publishRelease(sql: HqSql, input: unknown, effectiveAt: Date, note = ""): Promise<Release> {
  const parsed = releaseChanges.safeParse(input);
  if (!parsed.success) throw new ReleaseRefused(`the release is not valid: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  const changes = parsed.data;
  if (changes.tax_classes.length === 0 && changes.products.length === 0) throw new ReleaseRefused("the release changes nothing");
  // only the tax class codes ever published are needed here, not the whole catalog folded
  const codes = await sql<{ code: string }[]>`SELECT DISTINCT t->>'code' AS code FROM catalog_releases, jsonb_array_elements(changes->'tax_classes') t`;
  const known = new Set(codes.map((r) => r.code));
  for (const t of changes.tax_classes) known.add(t.code);
  const missing = changes.products.find((p) => !known.has(p.tax_class));
  if (missing) throw new ReleaseRefused(`product ${missing.sku} uses tax class ${missing.tax_class}, which no release defines`);
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const [row] = await sql<{ version: number; effective_at: Date }[]>`
        INSERT INTO catalog_releases (version, effective_at, note, changes)
        SELECT coalesce(max(version), 0) + 1, ${effectiveAt}, ${note}, ${sql.json(changes as never)} FROM catalog_releases
        RETURNING version, effective_at`;
      return { version: row!.version, effective_at: row!.effective_at.toISOString(), changes };
    } catch (e) {
      if (!(e instanceof Error && /duplicate key|unique/i.test(e.message))) throw e;
    }
  }
  throw new ReleaseRefused("another publisher kept taking the next version; try again");
}

/** What a store at version `since` has not seen, oldest first; a store that has nothing gets the whole catalog. */
export async function catalogChanges(sql: HqSql, since: number, limit = 50): Promise<{ latest: number; releases?: Release[]; snapshot?: { version: number; changes: ReleaseChanges } }> {
  const [top] = await sql<{ latest: number | null }[]>`SELECT max(version) AS latest FROM catalog_releases`;
  const latest = top?.latest ?? 0;
  if (since <= 0 && latest > 0) {
    const [last] = await sql<{ effective_at: Date }[]>`SELECT effective_at FROM catalog_releases WHERE version = ${latest}`;
    // a snapshot is the catalog as published; it applies at once unless the newest release is still to come
    if (last!.effective_at.getTime() <= Date.now()) return { latest, snapshot: await catalogSnapshot(sql) };
  }
  const rows = await sql<{ version: number; effective_at: Date; changes: ReleaseChanges }[]>`
    SELECT version, effective_at, changes FROM catalog_releases WHERE version > ${since} ORDER BY version LIMIT ${limit}`;
  return { latest, releases: rows.map((r) => ({ version: r.version, effective_at: r.effective_at.toISOString(), changes: r.changes })) };
}
