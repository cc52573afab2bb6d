// The one place that opens the head-office database, its numbered migrations and its functions.
import postgres from "postgres";
import { version } from "../../../server/platform/version.ts";
import fnAcceptRestoredEpoch from "./functions/hq_accept_restored_epoch.sql" with { type: "text" };
import fnBatchDocuments from "./functions/hq_batch_documents.sql" with { type: "text" };
import fnCatalogProductsFollow from "./functions/hq_catalog_products_follow.sql" with { type: "text" };
import fnCreatePartitionsAhead from "./functions/hq_create_partitions_ahead.sql" with { type: "text" };
import fnCutText from "./functions/hq_cut_text.sql" with { type: "text" };
import fnDeadLetterKept from "./functions/hq_dead_letter_kept.sql" with { type: "text" };
import fnEnsureMonthPartitions from "./functions/hq_ensure_month_partitions.sql" with { type: "text" };
import fnReceiveBatch from "./functions/hq_receive_batch.sql" with { type: "text" };
import fnReleaseCategories from "./functions/hq_release_categories.sql" with { type: "text" };
import fnStockLevelsFollow from "./functions/hq_stock_levels_follow.sql" with { type: "text" };
import hq001 from "./migrations/001_hq.sql" with { type: "text" };
import hq002 from "./migrations/002_catalog.sql" with { type: "text" };
import hq003 from "./migrations/003_ingest.sql" with { type: "text" };
import hq004 from "./migrations/004_people.sql" with { type: "text" };
import hq005 from "./migrations/005_guards.sql" with { type: "text" };
import hq006 from "./migrations/006_catalog_reports.sql" with { type: "text" };
import hq007 from "./migrations/007_returns.sql" with { type: "text" };
import hq008 from "./migrations/008_receipt_lookup.sql" with { type: "text" };
import hq009 from "./migrations/009_stock.sql" with { type: "text" };
import hq010 from "./migrations/010_release_fields.sql" with { type: "text" };
import hq011 from "./migrations/011_installations.sql" with { type: "text" };
import hq012 from "./migrations/012_store_contact.sql" with { type: "text" };
import hq013 from "./migrations/013_dead_letters.sql" with { type: "text" };
import hq014 from "./migrations/014_categories.sql" with { type: "text" };
import hq015 from "./migrations/015_store_admin.sql" with { type: "text" };
import hq016 from "./migrations/016_catalog_list.sql" with { type: "text" };
import hq017 from "./migrations/017_people_limits.sql" with { type: "text" };
import hq018 from "./migrations/018_token_stores.sql" with { type: "text" };
import hq019 from "./migrations/019_regions.sql" with { type: "text" };
import hq020 from "./migrations/020_token_grace.sql" with { type: "text" };
import hq021 from "./migrations/021_report_rollups.sql" with { type: "text" };
import hq023 from "./migrations/023_store_backups.sql" with { type: "text" };
import hq024 from "./migrations/024_store_journals.sql" with { type: "text" };
import hq025 from "./migrations/025_store_facts.sql" with { type: "text" };
import hq026 from "./migrations/026_backup_settings.sql" with { type: "text" };
import hq027 from "./migrations/027_day_totals_by_day.sql" with { type: "text" };

export type HqMigration = { version: number; name: string; sql: string };

export const hqMigrations: readonly HqMigration[] = [
  { version: 1, name: "001_hq", sql: hq001 },
  { version: 2, name: "002_catalog", sql: hq002 },
  { version: 3, name: "003_ingest", sql: hq003 },
  { version: 4, name: "004_people", sql: hq004 },
  { version: 5, name: "005_guards", sql: hq005 },
  { version: 6, name: "006_catalog_reports", sql: hq006 },
  { version: 7, name: "007_returns", sql: hq007 },
  { version: 8, name: "008_receipt_lookup", sql: hq008 },
  { version: 9, name: "009_stock", sql: hq009 },
  { version: 10, name: "010_release_fields", sql: hq010 },
  { version: 11, name: "011_installations", sql: hq011 },
  { version: 12, name: "012_store_contact", sql: hq012 },
  { version: 13, name: "013_dead_letters", sql: hq013 },
  { version: 14, name: "014_categories", sql: hq014 },
  { version: 15, name: "015_store_admin", sql: hq015 },
  { version: 16, name: "016_catalog_list", sql: hq016 },
  { version: 17, name: "017_people_limits", sql: hq017 },
  { version: 18, name: "018_token_stores", sql: hq018 },
  { version: 19, name: "019_regions", sql: hq019 },
  { version: 20, name: "020_token_grace", sql: hq020 },
  { version: 21, name: "021_report_rollups", sql: hq021 },
  { version: 23, name: "023_store_backups", sql: hq023 },
  { version: 24, name: "024_store_journals", sql: hq024 },
  { version: 25, name: "025_store_facts", sql: hq025 },
  { version: 26, name: "026_backup_settings", sql: hq026 },
  { version: 27, name: "027_day_totals_by_day", sql: hq027 },
];

/**
 * Advisory-lock namespace (first key) of every head-office lock; the second key says what is locked: 0 migrations
 * (here), 1 partitions (hq_ensure_month_partitions), 2 catalog (CATALOG_LOCK), 3 first user (users.ts), and
 * hashtext(store_id) a store (hq_receive_batch, hq_accept_restored_epoch).
 */
export const HQ_LOCK_NAMESPACE = 0x5f10;
const MIGRATION_LOCK = 0;

export type HqFunction = { name: string; sql: string };

// The SQL files write {{HQ_LOCK_NAMESPACE}} where they lock: the number above is put in when they are loaded.
const withLockNamespace = (text: string) => text.replaceAll("{{HQ_LOCK_NAMESPACE}}", String(HQ_LOCK_NAMESPACE));

/**
 * Every function of head office, each in functions/<name>.sql: the one live definition, applied (CREATE OR REPLACE)
 * after the migrations at every migrateHq. In this order because a LANGUAGE sql body is checked when it is created, so
 * a function comes before the ones that call it; hq_dead_letter_kept last, as its trigger locks dead_letters.
 */
export const hqFunctions: readonly HqFunction[] = [
  { name: "hq_ensure_month_partitions", sql: fnEnsureMonthPartitions },
  { name: "hq_create_partitions_ahead", sql: fnCreatePartitionsAhead },
  { name: "hq_batch_documents", sql: fnBatchDocuments },
  { name: "hq_receive_batch", sql: fnReceiveBatch },
  { name: "hq_accept_restored_epoch", sql: fnAcceptRestoredEpoch },
  { name: "hq_cut_text", sql: fnCutText },
  { name: "hq_stock_levels_follow", sql: fnStockLevelsFollow },
  { name: "hq_release_categories", sql: fnReleaseCategories },
  { name: "hq_catalog_products_follow", sql: fnCatalogProductsFollow },
  { name: "hq_dead_letter_kept", sql: fnDeadLetterKept },
].map((f) => ({ name: f.name, sql: withLockNamespace(f.sql) }));

export function openHq(url: string, options: { max?: number } = {}) {
  return postgres(url, {
    max: options.max ?? 10,
    // JIT compiling a report's query took seconds on each overview (measured: 3.4 s) for queries that run in milliseconds
    connection: { application_name: "shopflow-hq", jit: "off" },
    onnotice: () => {},
    // Sequence numbers, counts and minor units stay far below 2^53; numbers are easier to handle than strings.
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
}

export type HqSql = ReturnType<typeof openHq>;
export type HqTransaction = Parameters<Parameters<HqSql["begin"]>[1]>[0];

export class HqSchemaTooNew extends Error {}

/** Failures of postgres.js itself when the server cannot be reached or the connection is lost. */
const lostConnection = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);
/** Network errors on the way to the server. */
const unreachable = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/**
 * Whether an error means the database is away: not reachable, restarting, shutting down or full of connections. Only
 * then is "come back later" the true answer; any other failure would fail the same way again.
 */
export function databaseAway(e: unknown): boolean {
  if (e instanceof postgres.PostgresError) {
    // 08: connection exceptions; 57P01-57P03: shutting down, crashed, starting up; 53300: too many connections
    return e.code.startsWith("08") || ["57P01", "57P02", "57P03", "53300"].includes(e.code);
  }
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && (lostConnection.has(code) || unreachable.has(code));
}

/**
 * Apply the migrations this binary knows and has not applied yet, then every function (so the database holds this
 * binary's), then create the partitions kept ahead. Migrations and functions are one transaction under an advisory
 * lock, so two head-office processes starting together are safe. Tests pass `functions: []` to make a database as a
 * binary from before functions/ left it.
 */
export async function migrateHq(sql: HqSql, list: readonly HqMigration[] = hqMigrations, functions: readonly HqFunction[] = hqFunctions): Promise<number[]> {
  const applied = await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${HQ_LOCK_NAMESPACE}, ${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS hq_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const done = new Set((await tx<{ version: number }[]>`SELECT version FROM hq_migrations`).map((r) => r.version));
    const known = Math.max(0, ...list.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new HqSchemaTooNew(
        `the head-office database is at schema version ${newest}, written by a newer ShopFlow; this binary (ShopFlow ${version}) ` +
          `writes schema version ${known} and cannot run on it. Nothing was changed. Start head office with the newer shopflow binary again.`,
      );
    }
    const now: number[] = [];
    for (const m of list) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO hq_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      now.push(m.version);
    }
    for (const f of functions) await tx.unsafe(f.sql);
    return now;
  });
  await sql`SELECT hq_create_partitions_ahead()`;
  return applied;
}

/** Make sure the monthly partitions for these business dates (YYYY-MM-DD) exist. Runs in its own short transaction. */
export async function ensurePartitions(sql: HqSql, businessDates: Iterable<string>): Promise<void> {
  const months = [...new Set([...businessDates].map((d) => `${d.slice(0, 7)}-01`))];
  if (months.length === 0) return;
  await sql`SELECT hq_ensure_month_partitions(${months}::date[])`;
}
