// Goods back without a receipt: priced as they would sell now (today's catalog price for that quantity, tax as the till
// would charge it), since what the customer once paid is not known.
import { mulDivRoundHalfUp } from "../kernel/money.ts";
import { Problem } from "../kernel/problem.ts";
import { lineTax, type PricingMode } from "../kernel/tax.ts";
import type { LineItem } from "../sale/sale.ts";
import type { ReturnedLine } from "./lines.ts";

/** No receipt: each item at today's price for that quantity, its tax as the till would charge it now. */
export function priceWithoutReceipt(items: { item: LineItem; qtyMilli: number }[], mode: PricingMode, restock: boolean): ReturnedLine[] {
  if (items.length === 0) throw new Problem("nothing_to_return", "Scan or choose at least one item that comes back.");
  return items.map(({ item, qtyMilli }, i) => {
    if (!Number.isSafeInteger(qtyMilli) || qtyMilli <= 0) {
      throw new Problem("invalid_quantity", "A quantity to return is more than zero.", { line: i + 1 });
    }
    if (!item.weighed && qtyMilli % 1000 !== 0) throw new Problem("invalid_quantity", `${item.name} is returned in whole units.`, { line: i + 1 });
    const t = lineTax(mulDivRoundHalfUp(item.unitPrice, qtyMilli, 1000), item.rateBp, mode);
    return {
      lineNo: i + 1,
      productId: item.productId,
      sku: item.sku,
      name: item.name,
      weighed: item.weighed,
      qtyMilli,
      refund: t.gross,
      tax: t.tax,
      taxClass: item.taxClass,
      rateBp: item.rateBp,
      restock,
    };
  });
}
