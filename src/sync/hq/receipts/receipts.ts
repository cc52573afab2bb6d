// A receipt one store sold and another is asked to take back: the completed sales with that number at the chain's other
// stores, their lines and tenders as a return reads them, and what returns at the other stores have taken of each since
// (the asking store counts its own returns from its own database: head office may not have them all yet). And, for a sale
// the asking store made itself, what returns at the other stores have taken of it: its own register counts those too.
import { FOREIGN_RECEIPTS_LIMIT, type ForeignReceipts, type ForeignSaleRecord, type ReturnsElsewhere } from "../../receipt-contracts.ts";
import type { HqSql } from "../db/db.ts";

type Row = Omit<ForeignSaleRecord, "completed_at" | "returned"> & {
  completed_at: Date;
  qty_by_line: ForeignSaleRecord["returned"]["qty_by_line"];
  refunded_by_method: ForeignSaleRecord["returned"]["refunded_by_method"];
};

/**
 * Every sale with this receipt number at a store other than `askingStore`, newest first. One statement, so lines,
 * tenders and returns are of one moment; each part is an index probe: sales by receipt number (sales_receipt), lines
 * and payments by their sale's key with its business date (one partition), returns by sale (hq_returns_of_sale).
 */
export async function receiptsElsewhere(sql: HqSql, askingStore: string, number: string): Promise<ForeignReceipts> {
  const rows = await sql<Row[]>`
    SELECT s.store_id::text AS store_id, st.name AS store_name, s.sale_id::text AS sale_id, s.receipt_number,
      s.completed_at, l.lines, p.tenders, q.qty_by_line, m.refunded_by_method
    FROM (
      SELECT store_id, sale_id, business_date, receipt_number, completed_at, change_minor FROM sales
      WHERE receipt_number = ${number} AND store_id <> ${askingStore}::uuid
      ORDER BY completed_at DESC, store_id, sale_id
      LIMIT ${FOREIGN_RECEIPTS_LIMIT}
    ) s
    JOIN stores st ON st.store_id = s.store_id
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_agg(jsonb_build_object('line_no', x.line_no, 'product_id', x.product_id, 'sku', x.sku,
        'name', x.name, 'weighed', x.weighed, 'qty_milli', x.qty_milli, 'paid', x.total_minor, 'tax', x.tax_minor,
        'tax_class', x.tax_class, 'rate_bp', x.tax_rate_bp) ORDER BY x.line_no), '[]') AS lines
      FROM sale_lines x
      WHERE x.store_id = s.store_id AND x.sale_id = s.sale_id AND x.business_date = s.business_date
    ) l
    CROSS JOIN LATERAL (
      -- per method in the order first paid; the change came out of the cash
      SELECT coalesce(jsonb_agg(jsonb_build_object('method', t.method, 'amount', t.amount) ORDER BY t.first_n), '[]') AS tenders
      FROM (
        SELECT y.method, min(y.n) AS first_n,
          sum(y.amount_minor) - CASE WHEN y.method = 'cash' THEN s.change_minor ELSE 0 END AS amount
        FROM sale_payments y
        WHERE y.store_id = s.store_id AND y.sale_id = s.sale_id AND y.business_date = s.business_date
        GROUP BY y.method
      ) t
      WHERE t.amount > 0
    ) p
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_object_agg(r.line_no::text, r.qty), '{}') AS qty_by_line
      FROM (
        SELECT rl.line_no, sum(rl.qty_milli) AS qty
        FROM hq_returns h
        JOIN hq_return_lines rl ON rl.store_id = h.store_id AND rl.return_id = h.return_id AND rl.business_date = h.business_date
        WHERE h.sale_id = s.sale_id AND h.store_id <> ${askingStore}::uuid
        GROUP BY rl.line_no
      ) r
    ) q
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_object_agg(r.method, r.amount), '{}') AS refunded_by_method
      FROM (
        SELECT f.method, sum(f.amount_minor) AS amount
        FROM hq_returns h
        JOIN hq_return_refunds f ON f.store_id = h.store_id AND f.return_id = h.return_id AND f.business_date = h.business_date
        WHERE h.sale_id = s.sale_id AND h.store_id <> ${askingStore}::uuid
        GROUP BY f.method
      ) r
    ) m
    ORDER BY s.completed_at DESC, s.store_id, s.sale_id`;
  return {
    sales: rows.map(({ completed_at, qty_by_line, refunded_by_method, ...sale }) => ({
      ...sale,
      completed_at: completed_at.toISOString(),
      returned: { qty_by_line, refunded_by_method },
    })),
  };
}

/**
 * What returns at stores other than `askingStore` have taken of sale `saleId`: quantity per line, amount per refund
 * method; empty when none. Any store may ask about any sale (it is the asking store's own, as a rule). One statement,
 * so both figures are of one moment; each finds the returns of the sale by hq_returns_of_sale, then their lines and
 * refunds by key (one partition each).
 */
export async function saleReturnsElsewhere(sql: HqSql, askingStore: string, saleId: string): Promise<ReturnsElsewhere> {
  const [row] = await sql<ReturnsElsewhere["returned"][]>`
    WITH r AS (
      SELECT h.store_id, h.return_id, h.business_date FROM hq_returns h
      WHERE h.sale_id = ${saleId}::uuid AND h.store_id <> ${askingStore}::uuid
        -- only a sale of the asking store: a store learns nothing here of another store's sales
        AND EXISTS (SELECT 1 FROM sales s WHERE s.store_id = ${askingStore}::uuid AND s.sale_id = ${saleId}::uuid)
    )
    SELECT
      (SELECT coalesce(jsonb_object_agg(q.line_no::text, q.qty), '{}')
       FROM (
         SELECT rl.line_no, sum(rl.qty_milli) AS qty
         FROM r JOIN hq_return_lines rl ON rl.store_id = r.store_id AND rl.return_id = r.return_id AND rl.business_date = r.business_date
         GROUP BY rl.line_no
       ) q) AS qty_by_line,
      (SELECT coalesce(jsonb_object_agg(m.method, m.amount), '{}')
       FROM (
         SELECT f.method, sum(f.amount_minor) AS amount
         FROM r JOIN hq_return_refunds f ON f.store_id = r.store_id AND f.return_id = r.return_id AND f.business_date = r.business_date
         GROUP BY f.method
       ) m) AS refunded_by_method`;
  return { returned: { qty_by_line: row!.qty_by_line, refunded_by_method: row!.refunded_by_method } };
}
