// Stock adjusted by hand, one transaction each: the movement (on-hand with it), the audit row naming who and — above
// the value the shop sets — the manager who approved. The reasons are the shop's (adjustment_reasons); each says whether
// it takes stock off (damaged), puts it on (found) or either (correction).
import type { Database } from "bun:sqlite";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { mulDivRoundHalfUp } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import type { Catalog } from "../catalog/queries.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { StockLedger } from "./ledger.ts";

export type AdjustmentReason = { code: string; label: string; sign: -1 | 0 | 1 };

/** Who adjusts: a signed-in manager or supervisor, from any browser. */
export type OfficeActor = { userId: number; userName: string; registerName: string | null };

export type AdjustmentRequest = { productId: number; qtyMilli: number; reasonCode: string; note: string };

export function adjustmentReasons(db: Database): AdjustmentReason[] {
  return db
    .query<{ code: string; label: string; sign: number }, []>("SELECT code, label, sign FROM adjustment_reasons ORDER BY position, code")
    .all()
    .map((r) => ({ code: r.code, label: r.label, sign: r.sign as -1 | 0 | 1 }));
}

/** What an adjustment is worth at the shelf price, in minor units (the shop's limit for a manager is on this). */
export const adjustmentValue = (qtyMilli: number, price: number) => mulDivRoundHalfUp(Math.abs(qtyMilli), price, 1000);

export function adjustmentActions(deps: { db: Database; clock: Clock; ids: Ids; audit: AuditLog; catalog: Catalog; ledger: StockLedger }) {
  const { db, clock, ids, audit, catalog, ledger } = deps;
  const tx = inOneTransaction(db);

  /** The reason and the product, or why not: a sentence a manager can act on. */
  function check(req: AdjustmentRequest): { reason: AdjustmentReason; name: string; price: number } {
    const reason = adjustmentReasons(db).find((r) => r.code === req.reasonCode);
    if (!reason) throw new Problem("invalid_input", "Choose why the stock changes from the list.");
    const product = catalog.byId(req.productId);
    if (!product) throw new Problem("unknown_product", `No product has the id ${req.productId}.`, { product_id: req.productId });
    if (!Number.isSafeInteger(req.qtyMilli) || req.qtyMilli === 0) throw new Problem("invalid_quantity", "Type how much stock comes off (−2) or on (3).");
    if (!product.weighed && req.qtyMilli % 1000 !== 0) throw new Problem("invalid_quantity", `${product.name} is counted in whole units.`);
    if (Math.abs(req.qtyMilli) > 1_000_000_000) throw new Problem("invalid_quantity", "That is more stock than any shelf holds; check the quantity.");
    if (reason.sign < 0 && req.qtyMilli > 0) throw new Problem("invalid_quantity", `${reason.label} takes stock off: type how many, with a minus (−2).`);
    if (reason.sign > 0 && req.qtyMilli < 0) throw new Problem("invalid_quantity", `${reason.label} puts stock on: type how many were found (3).`);
    return { reason, name: product.name, price: product.price };
  }

  return {
    check,
    /** One product's stock adjusted; `approver` names the manager when the value needed one. */
    adjust: tx((who: OfficeActor, req: AdjustmentRequest, approver: { id: number; name: string } | null): { id: string; onHand: number } => {
      const { reason, name, price } = check(req);
      const at = clock.now().toISOString();
      const id = ids.next();
      const note = req.note ? `${reason.label}: ${req.note}` : reason.label;
      ledger.move({ productId: req.productId, qtyMilli: req.qtyMilli, reason: "adjustment", at, userId: who.userId, note, document: id });
      audit.record({
        at,
        userId: who.userId,
        userName: who.userName,
        register: who.registerName,
        action: "stock.adjusted",
        subject: String(req.productId),
        detail: {
          product: name,
          qty: req.qtyMilli / 1000,
          reason: reason.code,
          note: req.note || null,
          value: adjustmentValue(req.qtyMilli, price),
          adjustment: id,
        },
        ...(approver && approver.id !== who.userId ? { approvedBy: approver.name } : {}),
      });
      return { id, onHand: catalog.byId(req.productId)!.stockMilli };
    }),
  };
}

export type AdjustmentActions = ReturnType<typeof adjustmentActions>;
