// The sales audit rows name by id, looked up for the page: receipt number, what became of the sale, and its lines by
// line id (every line ever added, so a price change on a line taken off later still names its item).
import type { Database } from "bun:sqlite";
import type { LineItem, SaleLine } from "../../domain/sale/sale.ts";
import type { AuditRefs, LineRef, SaleRef } from "../../views/audit/describe.ts";
import type { SaleEvents } from "../selling/sale-events.ts";
import type { AuditEntry } from "./audit-log.ts";

const saleId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function saleRefs(db: Database, sales: SaleEvents) {
  // one query for the lines of every sale on the page, whatever their number
  const added = db.query<{ sale_id: string; line: string }, [string]>(
    `SELECT sale_id, json_extract(data, '$.line') AS line FROM sale_events
      WHERE type = 'ItemAdded' AND sale_id IN (SELECT value FROM json_each(?)) ORDER BY sale_id, n`,
  );

  return (rows: readonly AuditEntry[]): AuditRefs => {
    const ids = [...new Set(rows.map((r) => r.subject).filter((s): s is string => s !== null && saleId.test(s)))];
    const out: Record<string, SaleRef> = {};
    if (ids.length === 0) return { sales: out };
    const lines = new Map<string, Record<string, LineRef>>();
    for (const r of added.all(JSON.stringify(ids))) {
      const l = JSON.parse(r.line) as Pick<SaleLine, "lineId" | "originalPrice"> & Pick<LineItem, "name" | "weighed">;
      const of = lines.get(r.sale_id) ?? {};
      of[l.lineId] = { name: l.name, weighed: l.weighed, listPrice: l.originalPrice };
      lines.set(r.sale_id, of);
    }
    for (const id of ids) {
      const { state } = sales.load(id);
      if (state.status === "none") continue;
      out[id] = {
        status: state.status,
        receiptNumber: state.receiptNumber,
        total: (state.finalTotals ?? sales.totals(state)).total,
        items: state.lines.length,
        lines: lines.get(id) ?? {},
      };
    }
    return { sales: out };
  };
}
