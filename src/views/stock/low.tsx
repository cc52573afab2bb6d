// What to reorder (/stock/low): the products at or under their reorder point, how many are on hand, how many to order
// to fill up to the reorder level; the same list as CSV for the supplier's order.
import { quantity } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type LowStockView = {
  id: number;
  sku: string;
  name: string;
  weighed: boolean;
  onHandMilli: number;
  reorderPointMilli: number;
  reorderLevelMilli: number | null;
  toOrderMilli: number;
  location: string | null;
};

export function LowStockPage({ rows, cut }: { rows: LowStockView[]; cut: boolean }) {
  return (
    <OfficePage title="Low stock">
      <h1>Low stock</h1>
      <p>
        {rows.length === 0
          ? "Nothing is at or under its reorder point."
          : `${rows.length}${cut ? "+" : ""} ${rows.length === 1 ? "product is" : "products are"} at or under the reorder point.`}{" "}
        <a href="/stock/low.csv" class="button" data-testid="low-stock-csv">
          Download CSV
        </a>
      </p>
      {rows.length > 0 && (
        <table class="grid" data-testid="low-stock">
          <thead>
            <tr>
              <th>Product</th>
              <th>Location</th>
              <th class="num">On hand</th>
              <th class="num">Reorder point</th>
              <th class="num">Reorder level</th>
              <th class="num">To order</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-testid="low-stock-row">
                <td>
                  <a href={`/products/${r.id}`}>{r.name}</a> <span class="note">{r.sku}</span>
                </td>
                <td>{r.location ?? "—"}</td>
                <td class="num">{quantity(r.onHandMilli, r.weighed)}</td>
                <td class="num">{quantity(r.reorderPointMilli, r.weighed)}</td>
                <td class="num">{r.reorderLevelMilli === null ? "—" : quantity(r.reorderLevelMilli, r.weighed)}</td>
                <td class="num" data-testid="low-stock-to-order">
                  {quantity(r.toOrderMilli, r.weighed)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </OfficePage>
  );
}
