// Dead stock and slow movers: what sits on the shelf and does not sell. Pure: products with their stock and what they
// sold in the period come in; the two lists go out. Quantities in thousandths (qty_milli), money in minor units.

/** A product on hand as the report sees it: its stock, its cost (null: unknown) and what it sold over the period. */
export type StockItem = {
  productId: number;
  sku: string;
  name: string;
  category: string | null;
  weighed: boolean;
  stockMilli: number;
  cost: number | null;
  soldMilli: number;
};

export type DeadItem = StockItem & { valueAtCost: number | null };
export type SlowItem = StockItem & { perDay: number; daysOfCover: number; valueAtCost: number | null };

export type StockMovementReport = { dead: DeadItem[]; slow: SlowItem[]; deadValue: number; deadWithoutCost: number };

/** What the stock on hand cost the shop, rounded half up to the minor unit; null with no cost known. */
export const valueAtCost = (stockMilli: number, cost: number | null): number | null => (cost === null ? null : Math.round((stockMilli * cost) / 1000));

/**
 * Dead stock: on hand and not sold once over the `days` of the period, the dearest at cost first (unknown cost last).
 * Slow movers: on hand and sold, the fewest units a day first, at most `slowLimit`; days of cover is how long the stock
 * lasts at that pace. Products with no stock are in neither (nothing is sitting there).
 */
export function stockMovement(items: readonly StockItem[], days: number, slowLimit = 50): StockMovementReport {
  if (!Number.isInteger(days) || days < 1) throw new RangeError("a period of at least one day");
  const onHand = items.filter((i) => i.stockMilli > 0);
  const dead = onHand
    .filter((i) => i.soldMilli <= 0)
    .map((i) => ({ ...i, valueAtCost: valueAtCost(i.stockMilli, i.cost) }))
    .sort((a, b) => (b.valueAtCost ?? -1) - (a.valueAtCost ?? -1) || a.name.localeCompare(b.name));
  const slow = onHand
    .filter((i) => i.soldMilli > 0)
    .map((i) => {
      const perDay = i.soldMilli / 1000 / days;
      return { ...i, perDay, daysOfCover: i.stockMilli / 1000 / perDay, valueAtCost: valueAtCost(i.stockMilli, i.cost) };
    })
    .sort((a, b) => a.perDay - b.perDay || b.stockMilli - a.stockMilli || a.name.localeCompare(b.name))
    .slice(0, slowLimit);
  return {
    dead,
    slow,
    deadValue: dead.reduce((s, i) => s + (i.valueAtCost ?? 0), 0),
    deadWithoutCost: dead.filter((i) => i.valueAtCost === null).length,
  };
}
