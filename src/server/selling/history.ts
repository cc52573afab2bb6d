// The sales history: completed sales, latest first, found by what a customer brings back — the receipt (its number, or a
// scan of its own barcode), the amount, the card's last four — or by day. Reads only; indexed for a year of sales.
import type { Database } from "bun:sqlite";
import { businessDate, wallClock } from "../../domain/kernel/calendar.ts";
import { parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";

/** What the cashier typed or scanned, read as the one thing it can be (or, for a few digits, the things it can be). */
export type SalesSearch =
  | { kind: "all" }
  | { kind: "receipt"; number: string }
  | { kind: "digits"; seq: number; last4: string | null }
  | { kind: "amount"; total: number }
  /** Around a time of day ("14:05"): minutes after midnight on the chosen day, or today. */
  | { kind: "time"; minutes: number };

/** A receipt number as printed (and as its barcode reads): register, then the register's own count. */
export const RECEIPT_NUMBER = /^\d{3,}-\d{6,}$/;

/**
 * Read the search box: "003-000123" (or its barcode), "123" (a receipt's own number), "4242" (also a card's last four),
 * "12.50" (an amount), "14:05" (around that time).
 */
export function readSalesSearch(text: string, currencyDigits: number): SalesSearch {
  const q = text.trim().replace(/^[€$£]\s*/, "");
  if (!q) return { kind: "all" };
  if (RECEIPT_NUMBER.test(q)) return { kind: "receipt", number: q };
  if (/^\d{1,6}$/.test(q)) return { kind: "digits", seq: Number(q), last4: q.length === 4 ? q : null };
  const clock = /^(\d{1,2}):(\d{2})$/.exec(q);
  if (clock) {
    const [h, m] = [Number(clock[1]), Number(clock[2])];
    if (h < 24 && m < 60) return { kind: "time", minutes: h * 60 + m };
  }
  if (/^\d+[.,]\d+$/.test(q)) {
    const total = parseDecimalToMinor(q, currencyDigits);
    if (total !== null) return { kind: "amount", total };
  }
  throw new Problem(
    "invalid_input",
    `“${text.trim().slice(0, 40)}” is not something a receipt is found by: type or scan the receipt number (003-000123), its last digits, the amount (12.50), the time (14:05) or the card's last four.`,
  );
}

export type SaleSummary = {
  id: string;
  receiptNumber: string;
  completedAt: string;
  businessDate: string;
  register: string;
  cashier: string | null;
  items: number;
  total: number;
  tenders: { method: string; last4: string | null; amount: number }[];
};

/** Where the next page starts: after this sale, in newest-first order. */
export type HistoryCursor = { at: string; id: string };

type Row = { id: string; receipt_number: string; completed_at: string; business_date: string; register: string; cashier: string | null; total: number };

const PAGE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as the date field sends it, and a real one. */
export function readDay(text: string | undefined): string | null {
  if (!text) return null;
  const d = new Date(`${text}T12:00:00Z`);
  if (!DAY.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    throw new Problem("invalid_input", "The day is not a date: pick one in the date field.");
  }
  return text;
}

/** How far either side of a time typed in the search the history looks. */
const AROUND_MINUTES = 10;

/** "14:05": the sales from ten minutes before to ten after, on the chosen day or today, on the store's clock. */
export function timeWindow(search: SalesSearch, day: string | null, timeZone: string, now: Date): { from: string; to: string } | undefined {
  if (search.kind !== "time") return undefined;
  const on = day ?? businessDate(now, timeZone);
  // (on the night the clocks go back, both times the clock read it)
  return {
    from: wallClock(on, search.minutes - AROUND_MINUTES, timeZone, "earliest"),
    to: wallClock(on, search.minutes + AROUND_MINUTES + 1, timeZone, "latest"),
  };
}

export function salesHistory(db: Database) {
  const select = `SELECT s.id, s.receipt_number, s.completed_at, s.business_date, r.name AS register, u.name AS cashier, s.total
    FROM sales s JOIN registers r ON r.id = s.register_id LEFT JOIN users u ON u.id = s.cashier_id`;
  // newest first, from a cursor; the day (a business date) when asked, else every day
  // (the cursor as a range on completed_at, so each index is walked from where the last page ended)
  const after = "s.completed_at <= coalesce($at, '9999') AND ($at IS NULL OR NOT (s.completed_at = $at AND s.id >= $id))";
  const page = (where: string) =>
    db.query<Row, Record<string, string | number | null>>(
      `${select} WHERE s.status = 'completed' AND ${where} AND ($day IS NULL OR s.business_date = $day) AND ${after}
       ORDER BY s.completed_at DESC, s.id DESC LIMIT $limit`,
    );
  const q = {
    all: page("1"),
    day: page("s.business_date = $day"),
    receipt: db.query<Row, [string]>(`${select} WHERE s.receipt_number = ? AND s.status = 'completed'`),
    seq: page("s.receipt_seq = $seq"),
    amount: page("s.total = $total"),
    last4: page("s.id IN (SELECT sale_id FROM sale_payments WHERE card_last4 = $last4)"),
    between: page("s.completed_at >= $from AND s.completed_at < $to"),
    // one query each for the whole page's item counts and tenders
    items: db.query<{ sale_id: string; n: number }, [string]>(
      "SELECT sale_id, count(*) AS n FROM sale_lines WHERE sale_id IN (SELECT value FROM json_each(?)) GROUP BY sale_id",
    ),
    register: db.query<{ name: string }, [number]>("SELECT name FROM registers WHERE id = ?"),
    byReceipt: db.query<{ id: string }, [string]>("SELECT id FROM sales WHERE receipt_number = ? AND status = 'completed'"),
    tenders: db.query<{ sale_id: string; method: string; card_last4: string | null; amount: number }, [string]>(
      "SELECT sale_id, method, card_last4, amount FROM sale_payments WHERE sale_id IN (SELECT value FROM json_each(?)) ORDER BY sale_id, n",
    ),
  };

  function summaries(rows: Row[]): SaleSummary[] {
    const ids = JSON.stringify(rows.map((r) => r.id));
    const items = new Map(q.items.all(ids).map((i) => [i.sale_id, i.n]));
    const tenders = new Map<string, SaleSummary["tenders"]>();
    for (const t of q.tenders.all(ids)) {
      const list = tenders.get(t.sale_id) ?? [];
      list.push({ method: t.method, last4: t.card_last4, amount: t.amount });
      tenders.set(t.sale_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      receiptNumber: r.receipt_number,
      completedAt: r.completed_at,
      businessDate: r.business_date,
      register: r.register,
      cashier: r.cashier,
      items: items.get(r.id) ?? 0,
      total: r.total,
      tenders: tenders.get(r.id) ?? [],
    }));
  }

  return {
    registerName: (registerId: number): string => q.register.get(registerId)?.name ?? `Register ${registerId}`,
    /** The completed sale a receipt number names (as printed, or as its barcode reads), or null. */
    saleOfReceipt: (receiptNumber: string): string | null => q.byReceipt.get(receiptNumber)?.id ?? null,
    /** One page of the sales that match, newest first, and where the next page starts (null at the end). */
    find(search: SalesSearch, options: { day?: string | null; after?: HistoryCursor | null; limit?: number; around?: { from: string; to: string } } = {}) {
      const limit = Math.min(options.limit ?? PAGE, 200);
      const base = { $day: options.day ?? null, $at: options.after?.at ?? null, $id: options.after?.id ?? "", $limit: limit + 1 };
      let rows: Row[];
      switch (search.kind) {
        case "all":
          rows = (options.day ? q.day : q.all).all(base);
          break;
        case "receipt":
          rows = q.receipt.all(search.number).filter((r) => !options.day || r.business_date === options.day);
          break;
        case "amount":
          rows = q.amount.all({ ...base, $total: search.total });
          break;
        case "time":
          // the caller turns the time of day into instants on the store's clock (options.around)
          rows = options.around ? q.between.all({ ...base, $day: null, $from: options.around.from, $to: options.around.to }) : [];
          break;
        case "digits": {
          const bySeq = q.seq.all({ ...base, $seq: search.seq });
          const byCard = search.last4 ? q.last4.all({ ...base, $last4: search.last4 }) : [];
          const seen = new Set<string>();
          rows = [...bySeq, ...byCard]
            .filter((r) => !seen.has(r.id) && seen.add(r.id))
            .sort((a, b) => (a.completed_at === b.completed_at ? (a.id < b.id ? 1 : -1) : a.completed_at < b.completed_at ? 1 : -1));
          break;
        }
        default: {
          const never: never = search;
          throw new Error(`unknown search ${JSON.stringify(never)}`);
        }
      }
      const more = rows.length > limit;
      const shown = summaries(rows.slice(0, limit));
      const last = shown.at(-1);
      return { sales: shown, next: more && last ? { at: last.completedAt, id: last.id } : null };
    },
  };
}

export type SalesHistory = ReturnType<typeof salesHistory>;
