// Stock on hand: what each sale takes off the shelf, kept as movements beside the running level, and the store's policy
// for selling what the books say is not there — going by what is available, on hand less what other sales hold. Runs
// inside the caller's transaction (the sale's): nothing commits here.
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import type { NegativeStockPolicy } from "../settings/settings.ts";

export type StockWarning = { code: "negative_stock"; message: string; details: unknown };
type Taken = { productId: number; qtyMilli: number };

export function stockLevels(db: Database, policy: () => NegativeStockPolicy) {
  const q = {
    level: db.query<{ stock_milli: number; name: string }, [number]>("SELECT stock_milli, name FROM products WHERE id = ?"),
    take: db.query("UPDATE products SET stock_milli = stock_milli - ? WHERE id = ?"),
    movement: db.query("INSERT INTO stock_movements(product_id, qty_milli, reason, sale_id, at) VALUES (?, ?, 'sale', ?, ?)"),
    returned: db.query("INSERT INTO stock_movements(product_id, qty_milli, reason, return_id, at) VALUES (?, ?, ?, ?, ?)"),
    heldElsewhere: db.query<{ qty: number }, [number, string]>(
      "SELECT coalesce(sum(qty_milli), 0) AS qty FROM stock_reservations WHERE product_id = ? AND sale_id <> ?",
    ),
    putBack: db.query("UPDATE products SET stock_milli = stock_milli + ? WHERE id = ?"),
  };

  return {
    /**
     * Under the store's policy, against what is available to this sale: on hand less what other open and parked sales
     * hold. Throws insufficient_stock (block), or gives the warnings (warn) for products beyond it.
     */
    check(lines: readonly Taken[], saleId: string | null = null): StockWarning[] {
      const rule = policy();
      if (rule === "allow") return [];
      const wanted = new Map<number, number>();
      for (const l of lines) wanted.set(l.productId, (wanted.get(l.productId) ?? 0) + l.qtyMilli);
      const warnings: StockWarning[] = [];
      for (const [productId, qty] of wanted) {
        const row = q.level.get(productId);
        if (!row) continue;
        const held = q.heldElsewhere.get(productId, saleId ?? "")!.qty;
        const available = row.stock_milli - held;
        if (available >= qty) continue;
        const details = {
          product_id: productId,
          name: row.name,
          in_stock: row.stock_milli / 1000,
          reserved: held / 1000,
          available: available / 1000,
          wanted: qty / 1000,
        };
        const inStock = row.stock_milli / 1000;
        // what other registers' sales hold is said where there is some; else what is available is what is in stock
        const books = held > 0 ? `${inStock} in stock, ${held / 1000} of them on other registers' open or parked sales,` : `${inStock} in stock`;
        if (rule === "block") {
          const only =
            held > 0 ? `Only ${Math.max(available, 0) / 1000} of ${row.name} available (${books.slice(0, -1)})` : `Only ${inStock} of ${row.name} in stock`;
          throw new Problem("insufficient_stock", `${only}; ${qty / 1000} wanted.`, details);
        }
        warnings.push({
          code: "negative_stock",
          message: `${row.name}: the books say ${books} and this sale has ${qty / 1000}; have the shelf count checked.`,
          details,
        });
      }
      return warnings;
    },

    /**
     * Goods a customer brought back: on the shelf again (a 'return' movement, the level up), or — damaged — taken in
     * and written off at once (a 'return' and a 'write_off' movement; the level where it was).
     */
    takeBack(returnId: string, lines: readonly (Taken & { restock: boolean })[], at: string): void {
      for (const l of lines) {
        q.returned.run(l.productId, l.qtyMilli, "return", returnId, at);
        if (l.restock) q.putBack.run(l.qtyMilli, l.productId);
        else q.returned.run(l.productId, -l.qtyMilli, "write_off", returnId, at);
      }
    },

    /** A completed sale takes its lines off the shelf: one movement per line, the level down by as much. */
    takeForSale(saleId: string, lines: readonly Taken[], at: string): void {
      for (const l of lines) {
        q.take.run(l.qtyMilli, l.productId);
        q.movement.run(l.productId, -l.qtyMilli, saleId, at);
      }
    },
  };
}

export type StockLevels = ReturnType<typeof stockLevels>;
