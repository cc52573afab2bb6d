// Receiving a delivery: what came, read from scans (each scan one more of the item) or the supplier's CSV, then taken
// in at once — the delivery, a 'delivery' movement per line (on-hand with it), each product's cost moved to the moving
// average, and the audit row, in one transaction, or nothing.
import type { Database } from "bun:sqlite";
import type { EmbeddedPattern } from "../../domain/kernel/barcode.ts";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { mulDivRoundHalfUp, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { MAX_UNIT_PRICE } from "../../domain/sale/sale.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import type { Catalog, Product } from "../catalog/queries.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { formFieldProblem } from "../platform/http/form.ts";
import { MAX_STOCK_MILLI } from "../products/rules.ts";
import type { OfficeActor } from "./adjustments.ts";
import type { StockLedger } from "./ledger.ts";

/** One line of a delivery as read: the product, how many (thousandths), what each cost (minor units; null: not said). */
export type DeliveryLine = { product: Product; qtyMilli: number; unitCost: number | null };

/** A line that could not be read: its number in the text, what it said, and why. */
export type DeliveryProblem = { line: number; text: string; message: string };

export const MAX_DELIVERY_LINES = 5000;

/**
 * What came, as typed, scanned or pasted: one item a line — a barcode or SKU, then optionally how many ("x12", or a
 * second field) and the unit cost ("@0.80", or a third field); a CSV "sku,qty,unit_cost" reads the same (its header
 * skipped). The same product again adds to its line (a scanner scans each item). Lines that cannot be read are
 * returned with the reason; nothing is taken in while there are any.
 */
export function readDelivery(
  text: string,
  deps: { catalog: Catalog; patterns: readonly EmbeddedPattern[]; currencyDigits: number },
): { lines: DeliveryLine[]; problems: DeliveryProblem[] } {
  // line by line as the page's form gate reads it: a line's code (digits alone) is a code, the rest any text
  const gate = formFieldProblem("items", text, "The delivery");
  if (gate) throw new Problem(gate.code, gate.message);
  const byProduct = new Map<number, DeliveryLine>();
  const problems: DeliveryProblem[] = [];
  const rows = text.replace(/\r\n?/g, "\n").split("\n");
  if (rows.length > MAX_DELIVERY_LINES + 1) throw new Problem("invalid_input", `At most ${MAX_DELIVERY_LINES} lines in one delivery; take it in parts.`);
  for (const [i, raw] of rows.entries()) {
    const row = raw.trim();
    if (!row || (i === 0 && /^sku\b|^barcode\b/i.test(row))) continue;
    const fields = row.includes(",") || row.includes(";") || row.includes("\t") ? row.split(/[,;\t]/).map((f) => f.trim()) : row.split(/\s+/);
    const code = fields[0] ?? "";
    let qtyText = "1";
    let costText: string | null = null;
    for (const f of fields.slice(1)) {
      if (!f) continue;
      if (/^[x×]/i.test(f)) qtyText = f.slice(1);
      else if (f.startsWith("@")) costText = f.slice(1);
      else if (qtyText === "1" && costText === null && fields.indexOf(f) === 1) qtyText = f;
      else costText = f;
    }
    const say = (message: string) => problems.push({ line: i + 1, text: row.slice(0, 80), message });
    const product = deps.catalog.scan(code, deps.patterns)?.product ?? deps.catalog.bySku(code);
    if (!product) {
      say(`No product has the barcode or SKU ${code.slice(0, 40)}.`);
      continue;
    }
    const qtyMilli = parseDecimalToMinor(qtyText, 3);
    if (qtyMilli === null || qtyMilli <= 0 || qtyMilli > 1_000_000_000) {
      say(`The quantity "${qtyText.slice(0, 20)}" is not a number more than zero.`);
      continue;
    }
    if (!product.weighed && qtyMilli % 1000 !== 0) {
      say(`${product.name} comes in whole units.`);
      continue;
    }
    const unitCost = costText === null ? null : parseDecimalToMinor(costText.replace(/^[€$£]/, ""), deps.currencyDigits);
    if (costText !== null && (unitCost === null || unitCost < 0)) {
      say(`The unit cost "${costText.slice(0, 20)}" is not an amount like 0.80.`);
      continue;
    }
    const costly = unitCostProblem(unitCost);
    if (costly) {
      say(costly);
      continue;
    }
    const had = byProduct.get(product.id);
    if (!had) byProduct.set(product.id, { product, qtyMilli, unitCost });
    else if (unitCost !== null && had.unitCost !== null && unitCost !== had.unitCost) say(`${product.name} is on the delivery twice with two costs; give one.`);
    else if (had.qtyMilli + qtyMilli > MAX_STOCK_MILLI) say(addsUpTooMuch(product));
    else {
      had.qtyMilli += qtyMilli;
      had.unitCost = had.unitCost ?? unitCost;
    }
  }
  if (byProduct.size === 0 && problems.length === 0) problems.push({ line: 0, text: "", message: "Scan the items that came, or paste the supplier's list." });
  return { lines: [...byProduct.values()], problems };
}

/** A unit cost no price comes near (a slip of the keyboard, or someone testing the sums); null when it is fine. */
export function unitCostProblem(unitCost: number | null): string | null {
  return unitCost !== null && unitCost > MAX_UNIT_PRICE ? "The unit cost is more than any price the shop may charge; check it." : null;
}

/** The same product on many lines, adding up to more than any shelf holds. */
export const addsUpTooMuch = (product: Product) => `${product.name} adds up to more than ${MAX_STOCK_MILLI / 1000} on this delivery; check the quantities.`;

/** A product's cost after taking `qty` more at `unitCost`: the moving average over what is on hand and what came. */
export function movingAverage(onHandMilli: number, cost: number | null, qtyMilli: number, unitCost: number): number {
  const before = Math.max(0, onHandMilli);
  if (cost === null || before === 0) return unitCost;
  return mulDivRoundHalfUp(1, before * cost + qtyMilli * unitCost, before + qtyMilli);
}

export function deliveryActions(deps: { db: Database; clock: Clock; ids: Ids; audit: AuditLog; ledger: StockLedger }) {
  const { db, clock, ids, audit, ledger } = deps;
  const tx = inOneTransaction(db);
  const q = {
    delivery: db.query("INSERT INTO deliveries(id, at, supplier, reference, user_id, lines, total_cost) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    line: db.query("INSERT INTO delivery_lines(delivery_id, n, product_id, qty_milli, unit_cost) VALUES (?, ?, ?, ?, ?)"),
    level: db.query<{ stock_milli: number; cost: number | null }, [number]>("SELECT stock_milli, cost FROM products WHERE id = ?"),
    cost: db.query("UPDATE products SET cost = ? WHERE id = ?"),
  };
  return {
    /** Take a delivery in, whole: its lines as read (readDelivery), from `supplier`. */
    receive: tx((who: OfficeActor, supplier: string, reference: string, lines: DeliveryLine[]): { id: string; lines: number; totalCost: number } => {
      if (lines.length === 0) throw new Problem("invalid_input", "Scan the items that came first.");
      const at = clock.now().toISOString();
      const id = ids.next();
      const total = lines.reduce((s, l) => s + (l.unitCost === null ? 0 : mulDivRoundHalfUp(l.qtyMilli, l.unitCost, 1000)), 0);
      // each line is within bounds; thousands of them at the bounds could still add up past what is counted exactly
      if (!Number.isSafeInteger(total)) throw new Problem("invalid_input", "The delivery's cost adds up to more than can be kept exactly; take it in parts.");
      q.delivery.run(id, at, supplier, reference || null, who.userId, lines.length, total);
      lines.forEach((l, n) => {
        q.line.run(id, n + 1, l.product.id, l.qtyMilli, l.unitCost);
        if (l.unitCost !== null) {
          const now = q.level.get(l.product.id)!;
          q.cost.run(movingAverage(now.stock_milli, now.cost, l.qtyMilli, l.unitCost), l.product.id);
        }
        ledger.move({ productId: l.product.id, qtyMilli: l.qtyMilli, reason: "delivery", at, userId: who.userId, note: supplier, document: id });
      });
      audit.record({
        at,
        userId: who.userId,
        userName: who.userName,
        register: who.registerName,
        action: "stock.delivery_received",
        subject: id,
        detail: { supplier, reference: reference || null, lines: lines.length, total_cost: total },
      });
      return { id, lines: lines.length, totalCost: total };
    }),
  };
}

export type DeliveryActions = ReturnType<typeof deliveryActions>;
