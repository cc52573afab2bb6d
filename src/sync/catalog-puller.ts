// The store's end of catalog releases: pull what head office published since our version, keep releases until their
// effective time, and apply each in one transaction — a store killed mid-release is on the old version or the new.
// A product whose barcode another product of this store already holds is applied without that barcode and kept as a
// catalog problem: shown at the store and reported to head office, never a reason to stop taking later releases.
import type { Database } from "bun:sqlite";
import type { Clock } from "../domain/kernel/clock.ts";
import type { HeadOfficeLink as HqLink } from "../server/head-office/link.ts";
import { type CatalogChanges, type CatalogReport, catalogChanges, catalogReply, readAs } from "./contracts.ts";

/** A head-office product that could not take its barcode here, and the store's product that holds it. */
export type CatalogProblem = { sku: string; version: number; barcode: string; heldBySku: string; heldByName: string; at: string };

/** How catalog updates stand, for the register, Devices and /healthz. */
export type CatalogHealth = { version: number; problems: CatalogProblem[]; lastError: string | null; lastErrorAt: string | null };

export function catalogPuller(deps: { db: Database; clock: Clock; link: () => HqLink | null; fetch?: typeof fetch; onApplied?: () => void }) {
  const { db, clock } = deps;
  const doFetch = deps.fetch ?? fetch;
  const versionOf = () => Number(db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'catalog_version'").get()?.value ?? "0") || 0;
  const setVersion = db.query("INSERT INTO settings(key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const keep = db.query("INSERT INTO pending_catalog_releases(version, effective_at, changes) VALUES (?, ?, ?) ON CONFLICT(version) DO NOTHING");
  const next = db.query<{ version: number; effective_at: string; changes: string }, [number]>("SELECT * FROM pending_catalog_releases WHERE version = ?");
  const drop = db.query("DELETE FROM pending_catalog_releases WHERE version <= ?");
  const tax = db.query(
    "INSERT INTO tax_classes(code, name, rate_bp) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp",
  );
  const category = db.query("INSERT INTO categories(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
  const categoryId = db.query<{ id: number }, [string]>("SELECT id FROM categories WHERE name = ?");
  const holder = db.query<{ sku: string; name: string }, [string, string]>("SELECT sku, name FROM products WHERE barcode = ? AND sku <> ?");
  const currentBarcode = db.query<{ barcode: string | null }, [string]>("SELECT barcode FROM products WHERE sku = ?");
  const product =
    db.query(`INSERT INTO products(sku, barcode, name, price, tax_class, category_id, weighed, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET barcode = excluded.barcode, name = excluded.name, price = excluded.price, tax_class = excluded.tax_class,
      category_id = excluded.category_id, weighed = excluded.weighed, active = excluded.active, updated_at = excluded.updated_at`);
  const solved = db.query("DELETE FROM catalog_problems WHERE sku = ?");
  const problem = db.query(`INSERT INTO catalog_problems(sku, version, barcode, held_by_sku, held_by_name, at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET version = excluded.version, barcode = excluded.barcode, held_by_sku = excluded.held_by_sku, held_by_name = excluded.held_by_name, at = excluded.at`);
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

  const applyOne = db.transaction((version: number, changes: CatalogChanges, at: string) => {
    for (const t of changes.tax_classes) tax.run(t.code, t.name, t.rate_bp);
    for (const p of changes.products) {
      let cat: number | null = null;
      if (p.category) {
        category.run(p.category);
        cat = categoryId.get(p.category)!.id;
      }
      const held = p.barcode ? holder.get(p.barcode, p.sku) : null;
      let barcode = p.barcode;
      if (held && p.barcode) {
        // the store's own product keeps its barcode; this one keeps the barcode it had (if still its own), or none
        const had = currentBarcode.get(p.sku)?.barcode ?? null;
        barcode = had !== null && had !== p.barcode && !holder.get(had, p.sku) ? had : null;
        problem.run(p.sku, version, p.barcode, held.sku, held.name, at);
      } else {
        solved.run(p.sku);
      }
      product.run(p.sku, barcode, p.name, p.price, p.tax_class, cat, p.weighed ? 1 : 0, p.active ? 1 : 0, at);
    }
    setVersion.run(String(version));
    drop.run(version);
  });

  /** Apply the waiting releases whose time has come, strictly in version order; a release that fails waits, said. */
  function applyDue(): number {
    let applied = 0;
    for (;;) {
      const r = next.get(versionOf() + 1);
      if (!r || r.effective_at > clock.now().toISOString()) return applied;
      try {
        applyOne.immediate(r.version, readAs(catalogChanges, JSON.parse(r.changes), "catalog changes"), clock.now().toISOString());
      } catch (e) {
        noteError(`catalog release ${r.version} could not be applied: ${e instanceof Error ? e.message : String(e)}`);
        return applied;
      }
      applied++;
    }
  }

  function health(): CatalogHealth {
    return {
      version: versionOf(),
      problems: problems
        .all()
        .map((p) => ({ sku: p.sku, version: p.version, barcode: p.barcode, heldBySku: p.held_by_sku, heldByName: p.held_by_name, at: p.at })),
      lastError: setting("catalog_error") || null,
      lastErrorAt: setting("catalog_error_at") || null,
    };
  }

  /** Tell head office how the catalog stands here: the version applied, the problems, the last error. */
  async function report(link: HqLink): Promise<void> {
    const h = health();
    const res = await doFetch(new URL("/sync/v1/catalog/report", link.url), {
      method: "POST",
      headers: { Authorization: `Bearer ${link.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        version: h.version,
        problems: h.problems.map((p) => ({ sku: p.sku, version: p.version, barcode: p.barcode, held_by_sku: p.heldBySku, held_by_name: p.heldByName })),
        error: h.lastError,
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
      if (link) {
        try {
          const res = await doFetch(new URL(`/sync/v1/catalog/changes?since=${versionOf()}`, link.url), {
            headers: { Authorization: `Bearer ${link.token}` },
            signal: AbortSignal.timeout(30_000),
          });
          if (!res.ok) throw new Error(`head office answered ${res.status}`);
          const a = readAs(catalogReply, await res.json(), "catalog changes from head office");
          if (a.snapshot && a.snapshot.version > versionOf()) {
            applyOne.immediate(a.snapshot.version, a.snapshot.changes, clock.now().toISOString());
            applied++;
          }
          db.transaction(() => {
            for (const r of a.releases ?? []) if (r.version > versionOf()) keep.run(r.version, r.effective_at, JSON.stringify(r.changes));
          }).immediate();
          noteError(null);
          pulled = true;
        } catch (e) {
          noteError(`catalog not pulled: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      applied += applyDue();
      if (applied > 0) deps.onApplied?.();
      if (link && pulled) await report(link).catch(() => undefined); // said again at the next pull
      return applied;
    },
    applyDue,
  };
}

export type CatalogPuller = ReturnType<typeof catalogPuller>;
