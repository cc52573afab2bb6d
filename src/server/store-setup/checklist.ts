// How far a new store is on its way to its first sale: its details, its tax classes, a first product, the sale itself.
// A store with no products cannot sell: a manager signing in lands on the checklist until it has one.
import type { Database } from "bun:sqlite";

export type SetUpProgress = {
  /** Someone chose the store's name (it is no longer the name a new store starts with). */
  named: boolean;
  taxClasses: number;
  categories: number;
  products: number;
  /** The store has completed a sale. */
  sold: boolean;
  /** A sale was begun: the currency is fixed from then on (settings/actions.ts). */
  currencyFixed: boolean;
};

export function setUpProgress(db: Database): SetUpProgress {
  const n = (sql: string) => db.query<{ n: number }, []>(sql).get()!.n;
  return {
    named: n("SELECT count(*) AS n FROM settings WHERE key = 'store_name'") > 0,
    taxClasses: n("SELECT count(*) AS n FROM tax_classes"),
    categories: n("SELECT count(*) AS n FROM categories"),
    products: n("SELECT count(*) AS n FROM products"),
    sold: n("SELECT count(*) AS n FROM (SELECT 1 FROM sales WHERE status = 'completed' LIMIT 1)") > 0,
    currencyFixed: n("SELECT count(*) AS n FROM (SELECT 1 FROM sales LIMIT 1)") > 0,
  };
}

/** Whether the store has nothing to sell yet, so the checklist is where a manager starts. */
export function needsSetUp(db: Database): boolean {
  return db.query("SELECT 1 FROM products LIMIT 1").get() === null;
}
