// A year of a busy store's sales, seeded in one transaction for the sections that need a store with history (sales
// history searches, returns): two lines and one tender each, spread evenly over the year and the registers.
import { decide, evolve, initialState, type SaleCommand, type SaleEvent, type SaleState } from "../src/domain/sale/sale.ts";
import type { Shop } from "../src/server/compose.ts";
import { seededRandom } from "./stats.ts";

export type YearOfSales = {
  /** Every `sales / asks`-th sale's receipt number, own number, total, business date and card last four (when card). */
  probes: { receipts: string[]; seqs: number[]; amounts: number[]; last4s: string[]; days: string[] };
  /** The id and receipt number of the i-th sale of the year. */
  sale(i: number): { id: string; receiptNumber: string };
};

export type YearOptions = {
  sales: number;
  /** Who rang them up (a user of the store). */
  cashierId: number;
  /** How many probes of each kind to keep. */
  asks: number;
  /**
   * Also write each sale's events, as the register would have: needed where a sale is loaded whole (a return, the
   * return screen's lookup); the read models alone answer the sales history.
   */
  events?: boolean;
};

/** The sales go to the store's registers in turn; every sale is product 1 ("SKU", 20 % tax) in two lines. */
export function seedYearOfSales(store: Shop, options: YearOptions): YearOfSales {
  const { sales: SALES, cashierId, asks } = options;
  const registers = store.db
    .query<{ id: number }, []>("SELECT id FROM registers ORDER BY id")
    .all()
    .map((r) => r.id);
  const next = seededRandom(42);
  const end = Date.parse("2026-11-30T20:00:00Z");
  const start = end - 365 * 86_400_000;
  const seqs = new Map<number, number>();
  const sale = store.db.query(
    `INSERT INTO sales(id, register_id, status, receipt_seq, receipt_number, opened_at, completed_at, business_date, subtotal, tax_total, total, paid, cashier_id)
     VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const line = store.db.query("INSERT INTO sale_lines VALUES (?, ?, 1, 'SKU', NULL, 'Bench item', 1000, ?, ?, 0, 'STD', 2000, ?, ?, NULL)");
  const pay = store.db.query("INSERT INTO sale_payments(sale_id, n, method, amount, card_last4) VALUES (?, 1, ?, ?, ?)");
  const event = store.db.query("INSERT INTO sale_events(sale_id, n, type, at, data) VALUES (?, ?, ?, ?, ?)");
  const pricing = store.settings().pricing;
  const number = (reg: number, seq: number) => `${String(reg).padStart(3, "0")}-${String(seq).padStart(6, "0")}`;
  const probes: YearOfSales["probes"] = { receipts: [], seqs: [], amounts: [], last4s: [], days: [] };

  /** The sale's events as the register decides them: started, two items, paid, completed. */
  function writeEvents(id: string, reg: number, at: string, receiptNumber: string, lines: number[], tender: { method: "card" | "cash"; last4: string | null }) {
    const item = (unitPrice: number) => ({
      productId: 1,
      sku: "SKU",
      barcode: null,
      name: "Bench item",
      unitPrice,
      weighed: false,
      taxClass: "STD",
      rateBp: 2000,
    });
    const total = lines.reduce((s, x) => s + x, 0);
    const commands: SaleCommand[] = [
      { type: "StartSale", at, saleId: id, registerId: reg, pricing },
      ...lines.map((price, n): SaleCommand => ({ type: "AddItem", at, lineId: `${id}-${n + 1}`, item: item(price), qtyMilli: 1000 })),
      {
        type: "AddPayment",
        at,
        payment: { paymentId: `${id}-p`, method: tender.method, amount: total, ...(tender.last4 ? { card: { last4: tender.last4 } } : {}) },
      },
      { type: "CompleteSale", at, receiptNumber },
    ];
    let state: SaleState = initialState;
    let n = 0;
    for (const command of commands) {
      for (const e of decide(command, state) as SaleEvent[]) {
        state = evolve(state, e);
        event.run(id, ++n, e.type, e.at, JSON.stringify(e));
      }
    }
  }

  store.db.transaction(() => {
    for (let i = 0; i < SALES; i++) {
      const at = new Date(start + ((end - start) * i) / SALES);
      const reg = registers[i % registers.length]!;
      const seq = (seqs.get(reg) ?? 0) + 1;
      seqs.set(reg, seq);
      const receiptNumber = number(reg, seq);
      const total = 50 + Math.floor(next() * 15_000);
      const id = `bench-${i}`;
      const iso = at.toISOString();
      sale.run(id, reg, seq, receiptNumber, iso, iso, iso.slice(0, 10), total, Math.round(total / 6), total, total, cashierId);
      const first = Math.floor(total / 2);
      line.run(id, 1, first, first, Math.round(first / 6), first);
      line.run(id, 2, total - first, total - first, Math.round((total - first) / 6), total - first);
      const card = next() < 0.45;
      const last4 = card ? String(Math.floor(next() * 10_000)).padStart(4, "0") : null;
      pay.run(id, card ? "card" : "cash", total, last4);
      if (options.events) writeEvents(id, reg, iso, receiptNumber, [first, total - first], { method: card ? "card" : "cash", last4 });
      if (i % Math.floor(SALES / asks) === 0) {
        probes.receipts.push(receiptNumber);
        probes.seqs.push(seq);
        probes.amounts.push(total);
        probes.days.push(iso.slice(0, 10));
        if (last4) probes.last4s.push(last4);
      }
    }
    // the registers go on counting from there, as after a year of selling
    for (const [reg, seq] of seqs) store.db.query("UPDATE registers SET next_receipt = ? WHERE id = ?").run(seq + 1, reg);
  })();
  store.db.exec("ANALYZE");
  // the seeding's garbage is the bench's, not the store's: collected before anything is timed
  Bun.gc(true);
  return {
    probes,
    sale: (i) => ({ id: `bench-${i}`, receiptNumber: number(registers[i % registers.length]!, Math.floor(i / registers.length) + 1) }),
  };
}
