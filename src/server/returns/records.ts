// Returns in SQLite: what earlier returns of a sale took, the shop's reasons, the next return number, and the rows a
// completed return writes. Called inside the returning transaction; nothing here commits on its own.
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import type { ExchangeUse } from "../../domain/return/receipt.ts";
import type { CompletedReturn, EarlierReturns, RefundMethod, ReturnReason } from "../../domain/return/return.ts";

export const formatReturnNumber = (registerId: number, seq: number) => `R${String(registerId).padStart(3, "0")}-${String(seq).padStart(6, "0")}`;

export type ReturnSummary = { id: string; returnNumber: string; saleId: string | null; at: string; total: number; registerId: number };

export function returnRecords(db: Database) {
  const q = {
    returnedQty: db.query<{ line: number; qty: number }, [string]>(
      "SELECT sale_line_no AS line, sum(qty_milli) AS qty FROM return_lines WHERE sale_id = ? GROUP BY sale_line_no",
    ),
    // a sale of this store (sale_id) or of another (origin_sale_id)
    refunded: db.query<{ method: RefundMethod; amount: number }, [string]>(
      `SELECT f.method, sum(f.amount) AS amount FROM return_refunds f JOIN returns r ON r.id = f.return_id
        WHERE r.sale_id = ?1 OR r.origin_sale_id = ?1 GROUP BY f.method`,
    ),
    reasons: db.query<{ code: string; label: string; restock: number }, []>("SELECT code, label, restock FROM return_reasons ORDER BY position, code"),
    nextSeq: db.query<{ seq: number }, [number]>("SELECT coalesce(max(return_seq), 0) + 1 AS seq FROM returns WHERE register_id = ?"),
    insert: db.query(
      `INSERT INTO returns(id, register_id, return_seq, return_number, sale_id, origin_store_id, origin_sale_id, at, business_date, reason_code,
         reason, total, tax_total, rounding, cashier_id, approver_id, shift_id, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM shifts WHERE register_id = ? AND closed_at IS NULL), ?)`,
    ),
    line: db.query("INSERT INTO return_lines(return_id, sale_id, sale_line_no, product_id, qty_milli, refund, tax, restock) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
    refund: db.query(
      "INSERT INTO return_refunds(return_id, n, method, amount, card_brand, card_last4, auth_code, terminal_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    data: db.query<{ data: string }, [string]>("SELECT data FROM returns WHERE id = ?"),
    exchanged: db.query("UPDATE returns SET exchange_sale_id = ? WHERE id = ?"),
    // an exchange: what of the return's store credit the new sale took (and kept: a payment taken off gave it back)
    exchange: db.query<{ receipt: string | null; used: number | null }, [string]>(
      `SELECT s.receipt_number AS receipt, -sum(m.amount) AS used
         FROM returns r JOIN sales s ON s.id = r.exchange_sale_id
         JOIN vouchers v ON v.return_id = r.id
         JOIN voucher_movements m ON m.code = v.code AND m.sale_id = r.exchange_sale_id
        WHERE r.id = ? GROUP BY r.id`,
    ),
    ofSale: db.query<{ id: string; return_number: string; sale_id: string; at: string; total: number; register_id: number }, [string]>(
      "SELECT id, return_number, sale_id, at, total, register_id FROM returns WHERE sale_id = ? ORDER BY at, return_number",
    ),
  };

  return {
    /** What the sale's earlier returns took, per line and per tender. */
    earlier(saleId: string): EarlierReturns {
      const qtyByLine: Record<number, number> = {};
      for (const r of q.returnedQty.all(saleId)) qtyByLine[r.line] = r.qty;
      const refundedByMethod: EarlierReturns["refundedByMethod"] = {};
      for (const r of q.refunded.all(saleId)) refundedByMethod[r.method] = r.amount;
      return { qtyByLine, refundedByMethod };
    },
    reasons: (): ReturnReason[] => q.reasons.all().map((r) => ({ code: r.code, label: r.label, restock: r.restock === 1 })),
    reason(code: string): ReturnReason {
      const r = this.reasons().find((x) => x.code === code);
      if (!r) throw new Problem("invalid_input", "Choose why the goods come back from the list.");
      return r;
    },
    nextNumber(registerId: number): { seq: number; number: string } {
      const seq = q.nextSeq.get(registerId)!.seq;
      return { seq, number: formatReturnNumber(registerId, seq) };
    },
    /**
     * The rows of a completed return: the return, its lines against the sale's (`againstSale`: this store's sale, or
     * another store's; null without a receipt), its refunds.
     */
    write(
      r: CompletedReturn,
      seq: number,
      businessDate: string,
      who: { cashierId: number | null; approverId: number | null },
      againstSale: string | null,
    ): void {
      const tax = r.lines.reduce((s, l) => s + l.tax, 0);
      q.insert.run(
        r.returnId,
        r.registerId,
        seq,
        r.returnNumber,
        r.origin ? null : r.saleId,
        r.origin?.storeId ?? null,
        r.origin ? r.saleId : null,
        r.at,
        businessDate,
        r.reason.code,
        r.reason.label,
        r.total,
        tax,
        r.rounding,
        who.cashierId,
        who.approverId,
        r.registerId,
        JSON.stringify(r),
      );
      for (const l of r.lines) q.line.run(r.returnId, againstSale, l.lineNo, l.productId, l.qtyMilli, l.refund, l.tax, l.restock ? 1 : 0);
      for (const [i, f] of r.refunds.entries()) {
        q.refund.run(
          r.returnId,
          i + 1,
          f.method,
          f.amount,
          f.card?.brand ?? null,
          f.card?.last4 ?? null,
          f.card?.authCode ?? null,
          f.card?.terminalRef ?? null,
        );
      }
    },
    /** An exchange: the sale the return's store credit went toward. */
    exchangedFor(returnId: string, saleId: string): void {
      q.exchanged.run(saleId, returnId);
    },
    /** An exchange's part toward its new sale, as it stands; null for a return that was no exchange. */
    exchangeOf(returnId: string): ExchangeUse | null {
      const row = q.exchange.get(returnId);
      return row && row.used !== null ? { used: row.used, receipt: row.receipt } : null;
    },
    byId(id: string): CompletedReturn | null {
      const row = q.data.get(id.slice(0, 64));
      return row ? (JSON.parse(row.data) as CompletedReturn) : null;
    },
    ofSale: (saleId: string): ReturnSummary[] =>
      q.ofSale.all(saleId).map((r) => ({ id: r.id, returnNumber: r.return_number, saleId: r.sale_id, at: r.at, total: r.total, registerId: r.register_id })),
  };
}

export type ReturnRecords = ReturnType<typeof returnRecords>;
