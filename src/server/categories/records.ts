// The store's categories as the back office reads and writes them, each with the number of products in it. Writes run
// inside an action's transaction (actions.ts).
import type { Database } from "bun:sqlite";

export type Category = { id: number; name: string; products: number };

export function categoryRecords(db: Database) {
  const columns = "c.id, c.name, (SELECT count(*) FROM products p WHERE p.category_id = c.id) AS products FROM categories c";
  const all = db.query<Category, []>(`SELECT ${columns} ORDER BY c.name, c.id`);
  const one = db.query<Category, [number]>(`SELECT ${columns} WHERE c.id = ?`);
  const named = db.query<Category, [string]>(`SELECT ${columns} WHERE c.name = ?`);
  return {
    /** Every category, by name (as the register's tabs show them). */
    all: () => all.all(),
    byId: (id: number): Category | null => one.get(id),
    byName: (name: string): Category | null => named.get(name),
    insert: (name: string): number => db.query<{ id: number }, [string]>("INSERT INTO categories(name) VALUES (?) RETURNING id").get(name)!.id,
    rename: (id: number, name: string) => void db.query("UPDATE categories SET name = ? WHERE id = ?").run(name, id),
    remove: (id: number) => void db.query("DELETE FROM categories WHERE id = ?").run(id),
  };
}

export type CategoryRecords = ReturnType<typeof categoryRecords>;
