// A product's stock on its page: on hand, what open and parked sales hold of it and what is available, and its
// movements, newest first, each with the document it belongs to.
import { usePage } from "../ui/context.ts";
import { quantity, time } from "../ui/format.ts";

/** A stock movement of the product. */
export type MovementView = {
  id: number;
  qtyMilli: number;
  reason: string;
  saleId: string | null;
  returnId: string | null;
  at: string;
  /** Who moved it by hand (an adjustment, a delivery), and why or from whom. */
  user?: string | null;
  note?: string | null;
};

const reasons: Record<string, string> = {
  sale: "Sold",
  return: "Returned",
  write_off: "Written off",
  delivery: "Delivered",
  count: "Counted",
  adjustment: "Adjusted",
  transfer: "Transferred",
  opening: "Opening stock",
};

/** On hand, and what open and parked sales hold of it (available = on hand − reserved). */
export type StockView = { onHandMilli: number; reservedMilli: number; weighed: boolean };

export function Stock(p: { stock: StockView; movements: readonly MovementView[]; older: string | null }) {
  const { locale } = usePage();
  const signed = (m: number) => `${m > 0 ? "+" : m < 0 ? "−" : ""}${quantity(Math.abs(m), p.stock.weighed)}`;
  return (
    <section class="product-stock" aria-labelledby="product-stock" data-testid="product-stock">
      <h2 id="product-stock">Stock</h2>
      <p data-testid="product-on-hand">On hand: {quantity(p.stock.onHandMilli, p.stock.weighed)}</p>
      {p.stock.reservedMilli > 0 && (
        <p data-testid="product-reserved">
          On open or parked sales: {quantity(p.stock.reservedMilli, p.stock.weighed)} · available:{" "}
          {quantity(p.stock.onHandMilli - p.stock.reservedMilli, p.stock.weighed)}
        </p>
      )}
      {p.movements.length === 0 ? (
        <p class="summary">No stock movements yet.</p>
      ) : (
        <table class="grid movements">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th class="num">Quantity</th>
              <th>Document</th>
              <th>Who, why</th>
            </tr>
          </thead>
          <tbody>
            {p.movements.map((m) => (
              <tr data-testid="movement-row">
                <td>{time(m.at, locale)}</td>
                <td>{reasons[m.reason] ?? m.reason}</td>
                <td class="num">{signed(m.qtyMilli)}</td>
                <td>{m.saleId ? <a href={`/sales/${m.saleId}`}>the sale</a> : m.returnId ? <a href={`/sales/returns/${m.returnId}`}>the return</a> : "—"}</td>
                <td>{[m.user, m.note].filter(Boolean).join(" · ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.older && (
        <p>
          <a href={p.older} class="button" data-testid="movements-older">
            Older movements →
          </a>
        </p>
      )}
    </section>
  );
}
