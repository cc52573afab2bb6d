// A line that came back, priced: against the receipt (return.ts) or without one (without-receipt.ts).
import type { Minor } from "../kernel/money.ts";

export type ReturnedLine = {
  lineNo: number;
  productId: number;
  sku: string;
  name: string;
  weighed: boolean;
  qtyMilli: number;
  refund: Minor;
  tax: Minor;
  taxClass: string;
  rateBp: number;
  /** Back on the shelf; false when the reason says the goods are damaged (written off). */
  restock: boolean;
};
