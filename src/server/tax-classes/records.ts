// The store's tax classes as the back office reads and writes them, each with the number of products that use it.
// Writes run inside an action's transaction (actions.ts).
import type { Database } from "bun:sqlite";

export type TaxClass = { code: string; name: string; rateBp: number; products: number };

type Row = { code: string; name: string; rate_bp: number; products: number };

const toTaxClass = (r: Row): TaxClass => ({ code: r.code, name: r.name, rateBp: r.rate_bp, products: r.products });

export function taxClassRecords(db: Database) {
  const columns = "t.code, t.name, t.rate_bp, (SELECT count(*) FROM products p WHERE p.tax_class = t.code) AS products FROM tax_classes t";
  const all = db.query<Row, []>(`SELECT ${columns} ORDER BY t.rate_bp DESC, t.code`);
  const one = db.query<Row, [string]>(`SELECT ${columns} WHERE t.code = ?`);
  const count = db.query<{ n: number }, []>("SELECT count(*) AS n FROM tax_classes");
  return {
    /** Every tax class, the highest rate first. */
    all: () => all.all().map(toTaxClass),
    byCode: (code: string): TaxClass | null => {
      const r = one.get(code);
      return r ? toTaxClass(r) : null;
    },
    count: () => count.get()!.n,
    insert: (c: { code: string; name: string; rateBp: number }) =>
      void db.query("INSERT INTO tax_classes(code, name, rate_bp) VALUES (?, ?, ?)").run(c.code, c.name, c.rateBp),
    rename: (code: string, name: string) => void db.query("UPDATE tax_classes SET name = ? WHERE code = ?").run(name, code),
    setRate: (code: string, rateBp: number) => void db.query("UPDATE tax_classes SET rate_bp = ? WHERE code = ?").run(rateBp, code),
    remove: (code: string) => void db.query("DELETE FROM tax_classes WHERE code = ?").run(code),
  };
}

export type TaxClassRecords = ReturnType<typeof taxClassRecords>;
