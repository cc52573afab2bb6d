// What open and parked sales hold: reserved stock. Kept per sale and product from the sale's own state each time its
// events are written (inside that transaction), so reserved always matches the sales on the registers; a completed or
// cancelled sale holds nothing. available = on hand − reserved, and the `block` stock policy goes by available.
import type { Database } from "bun:sqlite";
import type { SaleState } from "../../domain/sale/sale.ts";

export type Held = { productId: number; qtyMilli: number };

/** A sale's lines summed per product (a product scanned twice, or as two weighed lines, is one reservation). */
export function heldBy(state: SaleState): Held[] {
  if (state.status !== "open" && state.status !== "parked") return [];
  const per = new Map<number, number>();
  for (const l of state.lines) per.set(l.productId, (per.get(l.productId) ?? 0) + l.qtyMilli);
  return [...per].filter(([, q]) => q > 0).map(([productId, qtyMilli]) => ({ productId, qtyMilli }));
}

export function stockReservations(db: Database) {
  const q = {
    clear: db.query("DELETE FROM stock_reservations WHERE sale_id = ?"),
    hold: db.query("INSERT INTO stock_reservations(sale_id, product_id, qty_milli) VALUES (?, ?, ?)"),
    reserved: db.query<{ qty: number }, [number]>("SELECT coalesce(sum(qty_milli), 0) AS qty FROM stock_reservations WHERE product_id = ?"),
    reservedByOthers: db.query<{ qty: number }, [number, string]>(
      "SELECT coalesce(sum(qty_milli), 0) AS qty FROM stock_reservations WHERE product_id = ? AND sale_id <> ?",
    ),
    openSales: db.query<{ id: string }, []>("SELECT id FROM sales WHERE status IN ('open', 'parked')"),
    wipe: db.query("DELETE FROM stock_reservations"),
  };
  return {
    /** The sale holds what its state says now; inside the caller's transaction. */
    keep(saleId: string, state: SaleState): void {
      q.clear.run(saleId);
      for (const h of heldBy(state)) q.hold.run(saleId, h.productId, h.qtyMilli);
    },
    /** Thousandths of the product held by open and parked sales (but `exceptSale`, the one asking). */
    reserved(productId: number, exceptSale: string | null = null): number {
      return exceptSale === null ? q.reserved.get(productId)!.qty : q.reservedByOthers.get(productId, exceptSale)!.qty;
    },
    /**
     * Rebuild every reservation from the open and parked sales' events (at start-up: a database from before
     * reservations, or one restored from a copy, holds exactly what its sales hold). One transaction.
     */
    rebuild(load: (saleId: string) => SaleState): void {
      db.transaction(() => {
        q.wipe.run();
        for (const { id } of q.openSales.all()) {
          for (const h of heldBy(load(id))) q.hold.run(id, h.productId, h.qtyMilli);
        }
      }).immediate();
    },
  };
}

export type StockReservations = ReturnType<typeof stockReservations>;
