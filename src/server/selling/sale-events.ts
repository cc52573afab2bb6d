// Sales in SQLite: the events of each sale, and the read models derived from them in the same transaction.
// Callers run these inside one BEGIN IMMEDIATE transaction; nothing here commits on its own.

import type { Database } from "bun:sqlite";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { decide, evolve, initialState, type Sale, type SaleCommand, type SaleEvent, type SaleState } from "../../domain/sale/sale.ts";
import { computeTotals, type SaleTotals } from "../../domain/sale/totals.ts";
import { completedSale, outboxWriter } from "../head-office/outbox.ts";
import { stockReservations } from "../inventory/reservations.ts";
import { journalWriter } from "../journal/journal.ts";
import { saleDocument } from "./sale-document.ts";

export type Loaded = { state: SaleState; count: number };

export type SaleEvents = ReturnType<typeof saleEvents>;

export function saleEvents(db: Database, timeZone: () => string) {
  const q = {
    events: db.query<{ data: string }, [string]>("SELECT data FROM sale_events WHERE sale_id = ? ORDER BY n"),
    addEvent: db.query("INSERT INTO sale_events(sale_id, n, type, at, data) VALUES (?, ?, ?, ?, ?)"),
    addSale: db.query("INSERT INTO sales(id, register_id, status, opened_at) VALUES (?, ?, 'open', ?)"),
    setStatus: db.query("UPDATE sales SET status = ?, register_id = ? WHERE id = ?"),
    complete: db.query(`UPDATE sales SET status = 'completed', receipt_seq = ?, receipt_number = ?, completed_at = ?, business_date = ?,
      subtotal = ?, discount_total = ?, tax_total = ?, total = ?, rounding = ?, paid = ?, change_due = ? WHERE id = ?`),
    // unit_cost: what the product costs the shop as it is sold, kept with the line (margins of past sales never move)
    addLine: db.query(`INSERT INTO sale_lines(sale_id, line_no, product_id, sku, barcode, name, qty_milli, unit_price, amount, discount,
      tax_class, tax_rate_bp, tax, total, unit_cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
      (SELECT cost FROM products WHERE id = ?3))`),
    addPayment: db.query(`INSERT INTO sale_payments(sale_id, n, method, amount, card_brand, card_last4, auth_code, terminal_ref)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    addTax: db.query("INSERT INTO sale_taxes(sale_id, tax_class, rate_bp, net, tax) VALUES (?, ?, ?, ?, ?)"),
    nextReceipt: db.query<{ seq: number }, [number]>("UPDATE registers SET next_receipt = next_receipt + 1 WHERE id = ? RETURNING next_receipt - 1 AS seq"),
  };
  const journal = journalWriter(db);
  const outbox = outboxWriter(db);
  const reservations = stockReservations(db);

  function load(saleId: string): Loaded {
    let state = initialState;
    let count = 0;
    for (const row of q.events.iterate(saleId)) {
      state = evolve(state, JSON.parse(row.data) as SaleEvent);
      count++;
    }
    return { state, count };
  }

  /** Write the read model for one event; completion writes everything a finished sale owes the shop. */
  function project(saleId: string, event: SaleEvent, after: SaleState, receiptSeq: number | null): void {
    switch (event.type) {
      case "SaleStarted":
        q.addSale.run(saleId, event.registerId, event.at);
        return;
      case "SaleParked":
      case "SaleResumed":
      case "SaleCancelled":
        if (after.status !== "none") q.setStatus.run(after.status, after.registerId, saleId);
        if (event.type === "SaleCancelled") journal(event.at, "sale.cancelled", saleId, { reason: event.reason });
        return;
      case "SaleCompleted":
        writeCompletion(after as Sale, event.totals, receiptSeq ?? 0, event.at);
        return;
      default:
        return;
    }
  }

  function writeCompletion(sale: Sale, t: SaleTotals, receiptSeq: number, at: string): void {
    const id = sale.saleId;
    const day = businessDate(new Date(at), timeZone());
    q.complete.run(receiptSeq, sale.receiptNumber, at, day, t.subtotal, t.discount, t.tax, t.total, t.rounding, t.paid, t.change, id);
    sale.lines.forEach((l, i) => {
      const lt = t.lines[i]!;
      q.addLine.run(id, i + 1, l.productId, l.sku, l.barcode, l.name, l.qtyMilli, l.unitPrice, lt.amount, lt.discount, l.taxClass, l.rateBp, lt.tax, lt.total);
    });
    sale.payments.forEach((p, i) => {
      q.addPayment.run(id, i + 1, p.method, p.amount, p.card?.brand ?? null, p.card?.last4 ?? null, p.card?.authCode ?? null, p.card?.terminalRef ?? null);
    });
    for (const x of t.taxes) q.addTax.run(id, x.taxClass, x.rateBp, x.net, x.tax);
    const hash = outbox("sale", id, completedSale(saleDocument(sale, t, day)), at);
    journal(at, "sale.completed", id, { receipt: sale.receiptNumber, total: t.total, paid: t.paid, change: t.change, hash });
  }

  return {
    load,
    /**
     * Decide each command against the sale's state, append the events and project them. Throws Problem on the first
     * command the sale refuses; the caller's transaction then rolls back, so nothing of the batch is kept.
     */
    apply(saleId: string, loaded: Loaded, commands: readonly SaleCommand[], receiptSeq: number | null = null): Loaded {
      let { state, count } = loaded;
      let holds = false;
      for (const command of commands) {
        for (const event of decide(command, state)) {
          state = evolve(state, event);
          project(saleId, event, state, receiptSeq);
          q.addEvent.run(saleId, ++count, event.type, event.at, JSON.stringify(event));
          holds ||= HOLDING.has(event.type);
        }
      }
      // what the sale holds off the shelf, as of its events now (nothing once completed or cancelled)
      if (holds) reservations.keep(saleId, state);
      return { state, count };
    },
    /** The next receipt number of a register; gapless because it is taken inside the completing transaction. */
    takeReceiptNumber(registerId: number): { seq: number; number: string } {
      const row = q.nextReceipt.get(registerId);
      if (!row) throw new Problem("register_not_found", "This register is not known to the store.");
      return { seq: row.seq, number: formatReceiptNumber(registerId, row.seq) };
    },
    totals: (sale: Sale) => computeTotals(sale),
  };
}

/** The events that change what a sale holds of the shelf's stock. */
const HOLDING: ReadonlySet<SaleEvent["type"]> = new Set(["ItemAdded", "ItemRemoved", "QuantityChanged", "SaleCompleted", "SaleCancelled"]);

export function formatReceiptNumber(registerId: number, seq: number): string {
  return `${String(registerId).padStart(3, "0")}-${String(seq).padStart(6, "0")}`;
}
