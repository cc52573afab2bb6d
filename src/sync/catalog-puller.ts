// The store's end of catalog releases: pull what head office published since our version, keep releases until their
// effective time, and apply each in one transaction — a store killed mid-release is on the old version or the new.
import type { Database } from "bun:sqlite";
import type { Clock } from "../server/clock.ts";
import type { HqLink } from "./uploader.ts";

type Changes = {
  tax_classes: { code: string; name: string; rate_bp: number }[];
  products: { sku: string; barcode: string | null; name: string; price: number; tax_class: string; category: string | null; weighed: boolean; active: boolean }[];
};
type Answer = { latest: number; releases?: { version: number; effective_at: string; changes: Changes }[]; snapshot?: { version: number; changes: Changes } };

export function catalogPuller(deps: { db: Database; clock: Clock; link: () => HqLink | null; fetch?: typeof fetch; onApplied?: () => void }) {
  const { db, clock } = deps;
  const doFetch = deps.fetch ?? fetch;
  const versionOf = () => Number(db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'catalog_version'").get()?.value ?? "0") || 0;
  const setVersion = db.query("INSERT INTO settings(key, value) VALUES ('catalog_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const keep = db.query("INSERT INTO pending_catalog_releases(version, effective_at, changes) VALUES (?, ?, ?) ON CONFLICT(version) DO NOTHING");
  const next = db.query<{ version: number; effective_at: string; changes: string }, [number]>("SELECT * FROM pending_catalog_releases WHERE version = ?");
  const drop = db.query("DELETE FROM pending_catalog_releases WHERE version <= ?");
  const tax = db.query("INSERT INTO tax_classes(code, name, rate_bp) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp");
  const category = db.query("INSERT INTO categories(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
  const categoryId = db.query<{ id: number }, [string]>("SELECT id FROM categories WHERE name = ?");
  const product = db.query(`INSERT INTO products(sku, barcode, name, price, tax_class, category_id, weighed, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET barcode = excluded.barcode, name = excluded.name, price = excluded.price, tax_class = excluded.tax_class,
      category_id = excluded.category_id, weighed = excluded.weighed, active = excluded.active, updated_at = excluded.updated_at`);
  let lastError: string | null = null;

  const applyOne = db.transaction((version: number, changes: Changes, at: string) => {
    for (const t of changes.tax_classes) tax.run(t.code, t.name, t.rate_bp);
    for (const p of changes.products) {
      let cat: number | null = null;
      if (p.category) {
        category.run(p.category);
        cat = categoryId.get(p.category)!.id;
      }
      product.run(p.sku, p.barcode, p.name, p.price, p.tax_class, cat, p.weighed ? 1 : 0, p.active ? 1 : 0, at);
    }
    setVersion.run(String(version));
    drop.run(version);
  });

  /** Apply the waiting releases whose time has come, strictly in version order. */
  function applyDue(): number {
    let applied = 0;
    for (;;) {
      const r = next.get(versionOf() + 1);
      if (!r || r.effective_at > clock.now().toISOString()) return applied;
      applyOne.immediate(r.version, JSON.parse(r.changes) as Changes, clock.now().toISOString());
      applied++;
    }
  }

  return {
    version: versionOf,
    lastError: () => lastError,
    /** Ask head office for what is new, keep it, and apply what is due. */
    async pull(): Promise<number> {
      const link = deps.link();
      let applied = 0;
      if (link) {
        try {
          const res = await doFetch(new URL(`/sync/v1/catalog/changes?since=${versionOf()}`, link.url), {
            headers: { Authorization: `Bearer ${link.token}` },
            signal: AbortSignal.timeout(30_000),
          });
          if (!res.ok) throw new Error(`head office answered ${res.status}`);
          const a = (await res.json()) as Answer;
          if (a.snapshot && a.snapshot.version > versionOf()) {
            applyOne.immediate(a.snapshot.version, a.snapshot.changes, clock.now().toISOString());
            applied++;
          }
          db.transaction(() => {
            for (const r of a.releases ?? []) if (r.version > versionOf()) keep.run(r.version, r.effective_at, JSON.stringify(r.changes));
          }).immediate();
          lastError = null;
        } catch (e) {
          lastError = `catalog not pulled: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
      applied += applyDue();
      if (applied > 0) deps.onApplied?.();
      return applied;
    },
    applyDue,
  };
}

export type CatalogPuller = ReturnType<typeof catalogPuller>;
