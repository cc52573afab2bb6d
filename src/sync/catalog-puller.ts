// The store's end of catalog releases: pull every release head office published since the last one received, keep
// them, and apply each when the store's clock passes its effective time, in one transaction — a store killed
// mid-release is on the old catalog or the new. Releases take effect at their own times, field by field
// (catalog-apply.ts has the rule), so a price fix published today does not wait behind Monday's prices.
// The catalog version the store reports is the highest V such that it has received every release up to V and
// applied each of those whose time has come; the ones still waiting for their time are reported as pending.
import type { Database } from "bun:sqlite";
import type { Clock } from "../domain/kernel/clock.ts";
import type { HeadOfficeLink as HqLink } from "../server/head-office/link.ts";
import { catalogApplier } from "./catalog-apply.ts";
import { type CatalogReport, catalogChanges, catalogReply } from "./catalog-contracts.ts";
import { readAs } from "./contracts.ts";
import { syncHeaders } from "./uploader.ts";

/** A head-office product that could not take its barcode here, and the store's product that holds it. */
export type CatalogProblem = { sku: string; version: number; barcode: string; heldBySku: string; heldByName: string; at: string };

/** A release kept here until its effective time. */
export type PendingRelease = { version: number; effectiveAt: string };

/** How catalog updates stand, for the register, Devices and /healthz. */
export type CatalogHealth = {
  version: number;
  pending: PendingRelease[];
  problems: CatalogProblem[];
  lastError: string | null;
  lastErrorAt: string | null;
};

export function catalogPuller(deps: { db: Database; clock: Clock; link: () => HqLink | null; fetch?: typeof fetch; onApplied?: () => void }) {
  const { db, clock } = deps;
  const doFetch = deps.fetch ?? fetch;
  const versionOf = () => Number(db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'catalog_version'").get()?.value ?? "0") || 0;
  const setVersion = db.query("INSERT INTO settings(key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const receivedSetting = db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'catalog_received'");
  const setReceived = db.query("INSERT INTO settings(key, value) VALUES ('catalog_received', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const lastKept = db.query<{ v: number | null }, []>("SELECT max(version) AS v FROM catalog_release_log");
  /** The last release received (a store from before the log: its version, or the last one it kept waiting). */
  const receivedOf = () => Math.max(Number(receivedSetting.get()?.value ?? "0") || 0, versionOf(), lastKept.get()?.v ?? 0);
  const keep = db.query("INSERT INTO catalog_release_log(version, effective_at, changes, received_at) VALUES (?, ?, ?, ?) ON CONFLICT(version) DO NOTHING");
  const due = db.query<{ version: number; effective_at: string }, [string]>(
    "SELECT version, effective_at FROM catalog_release_log WHERE applied_at IS NULL AND effective_at <= ? ORDER BY effective_at, version",
  );
  const keptChanges = db.query<{ changes: string }, [number]>("SELECT changes FROM catalog_release_log WHERE version = ?");
  const markApplied = db.query("UPDATE catalog_release_log SET applied_at = ? WHERE version = ?");
  const firstDue = db.query<{ v: number | null }, [string]>("SELECT min(version) AS v FROM catalog_release_log WHERE applied_at IS NULL AND effective_at <= ?");
  const waiting = db.query<{ version: number; effective_at: string }, []>(
    "SELECT version, effective_at FROM catalog_release_log WHERE applied_at IS NULL ORDER BY effective_at, version",
  );
  const { applyRelease, giveBarcodesBack } = catalogApplier(db);
  const problems = db.query<{ sku: string; version: number; barcode: string; held_by_sku: string; held_by_name: string; at: string }, []>(
    "SELECT * FROM catalog_problems ORDER BY version, sku",
  );
  const setting = (key: string) => db.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?").get(key)?.value ?? null;
  const saveSetting = db.query("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");

  /** Remembered across restarts, so Devices and /healthz say why the catalog is behind. */
  function noteError(message: string | null): void {
    saveSetting.run("catalog_error", message ?? "");
    saveSetting.run("catalog_error_at", message ? clock.now().toISOString() : "");
  }

  /** After each change of what is kept or applied, in the same transaction: see the file's head for what V means. */
  function settleVersion(now: string): void {
    const stuck = firstDue.get(now)?.v ?? null;
    const v = stuck === null ? receivedOf() : stuck - 1;
    if (v !== versionOf()) setVersion.run(String(v));
  }

  const applyKept = db.transaction((version: number, effectiveAt: string, now: string) => {
    const changes = readAs(catalogChanges, JSON.parse(keptChanges.get(version)!.changes), "catalog changes");
    applyRelease(version, changes, { effective_at: effectiveAt, version }, now);
    markApplied.run(now, version);
    settleVersion(now);
  });

  /**
   * Apply the kept releases whose time has come, in the order they take effect (effective time, then version). One
   * that fails is said and tried again at the next pull; the others still take effect (applied later, it leaves alone
   * what releases taking effect after it set).
   */
  function applyDue(): number {
    let applied = 0;
    const failed: string[] = [];
    for (const r of due.all(clock.now().toISOString())) {
      try {
        applyKept.immediate(r.version, r.effective_at, clock.now().toISOString());
        applied++;
      } catch (e) {
        failed.push(`catalog release ${r.version} could not be applied: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (failed.length > 0) noteError(failed.join("; "));
    return applied;
  }

  function health(): CatalogHealth {
    return {
      version: versionOf(),
      pending: waiting.all().map((r) => ({ version: r.version, effectiveAt: r.effective_at })),
      problems: problems
        .all()
        .map((p) => ({ sku: p.sku, version: p.version, barcode: p.barcode, heldBySku: p.held_by_sku, heldByName: p.held_by_name, at: p.at })),
      lastError: setting("catalog_error") || null,
      lastErrorAt: setting("catalog_error_at") || null,
    };
  }

  /** Tell head office how the catalog stands here: the version applied, what waits for its time, the problems, the last error. */
  async function report(link: HqLink): Promise<void> {
    const h = health();
    const res = await doFetch(new URL("/sync/v1/catalog/report", link.url), {
      method: "POST",
      headers: { ...syncHeaders(db, clock, link), "Content-Type": "application/json" },
      body: JSON.stringify({
        version: h.version,
        problems: h.problems.map((p) => ({ sku: p.sku, version: p.version, barcode: p.barcode, held_by_sku: p.heldBySku, held_by_name: p.heldByName })),
        error: h.lastError,
        pending: h.pending.slice(0, 10_000).map((r) => r.version),
      } satisfies CatalogReport),
      signal: AbortSignal.timeout(30_000),
    });
    // an older head office without the report endpoint is no reason to stop pulling
    if (!res.ok && res.status !== 404) throw new Error(`head office answered ${res.status} to the catalog report`);
  }

  return {
    version: versionOf,
    lastError: () => setting("catalog_error") || null,
    health,
    /** Ask head office for what is new, keep it, apply what is due, and report how the catalog stands. */
    async pull(): Promise<number> {
      const link = deps.link();
      let applied = 0;
      let pulled = false;
      const versionBefore = versionOf();
      if (link) {
        try {
          const res = await doFetch(new URL(`/sync/v1/catalog/changes?since=${receivedOf()}`, link.url), {
            // the pull every 30 s is also how head office hears from an idle store, and learns what waits here
            headers: syncHeaders(db, clock, link),
            signal: AbortSignal.timeout(30_000),
          });
          if (!res.ok) throw new Error(`head office answered ${res.status}`);
          const a = readAs(catalogReply, await res.json(), "catalog changes from head office");
          const now = clock.now().toISOString();
          if (a.snapshot && a.snapshot.version > receivedOf()) {
            const snapshot = a.snapshot;
            // the catalog in effect at head office, standing for every release up to its version: older than all kept ones
            db.transaction(() => {
              applyRelease(snapshot.version, snapshot.changes, null, now);
              setReceived.run(String(snapshot.version));
              settleVersion(now);
            }).immediate();
            applied++;
          }
          // every release published, kept at once whatever its time (a snapshot's come with versions below its own)
          db.transaction(() => {
            for (const r of a.releases ?? []) keep.run(r.version, r.effective_at, JSON.stringify(r.changes), now);
            settleVersion(now);
          }).immediate();
          noteError(null);
          pulled = true;
        } catch (e) {
          noteError(`catalog not pulled: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      applied += applyDue();
      db.transaction(() => giveBarcodesBack(clock.now().toISOString())).immediate();
      if (applied > 0 || versionOf() !== versionBefore) deps.onApplied?.();
      if (link && pulled) await report(link).catch(() => undefined); // said again at the next pull
      return applied;
    },
    applyDue,
  };
}

export type CatalogPuller = ReturnType<typeof catalogPuller>;
