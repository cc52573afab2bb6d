// Frequently bought together, kept up to date in the background: completed sales after the last one counted become
// basket and pair counts, returns take the items that came back out of their basket, the counts fade by halving once
// a period has passed, and the rules of the products they touched are worked out again. Never part of a sale's
// transaction (a sale pays nothing for it): short transactions of their own, each cut off after a few milliseconds of
// work, and a worker that waits for a quiet moment between them, so a sale is never held up by the counting.

import type { Database } from "bun:sqlite";
import {
  basketAdded,
  type Candidate,
  type CountChange,
  DEFAULT_HALVE_DAYS,
  DEFAULT_MIN_BASKETS,
  halved,
  halvingsDue,
  itemsReturned,
  type Quantity,
  RULES_PER_PRODUCT,
  strongestRules,
} from "../../domain/suggestions/together.ts";

/** The store setting with the fewest baskets a pair must share before it is suggested. */
export const MIN_BASKETS_SETTING = "together_min_baskets";
/** The store setting with the days after which the counts are halved (0: never). */
export const HALVE_DAYS_SETTING = "together_halve_days";

/** How long one step works before it stops and commits (it finishes the row of pairs under way first). */
export const STEP_MS = 3;
/** Journal entries read by one count pass at most, and products worked out by one rules pass at most. */
const ENTRIES_PER_PASS = 500;
const PRODUCTS_PER_PASS = 50;
/**
 * Rows halved per statement while a halving is under way (statements follow each other until the step's time is up):
 * few, as each pair halved moves in the pairs' second index, a page written apiece.
 */
const HALVE_BATCH = 100;
const DAY_MS = 86_400_000;
/** Below every product id, where a halving starts. */
const FIRST = Number.MIN_SAFE_INTEGER;
const LAST = Number.MAX_SAFE_INTEGER;

/** What one step did; null when there was nothing to do. */
export type StepKind = "count" | "halve" | "rules";

export type TogetherCounts = ReturnType<typeof togetherCounts>;

type Cursor = {
  last_seq: number;
  part: number;
  baskets: number;
  skipped: number;
  min_baskets: number | null;
  period_start: string | null;
  halvings: number;
  halve_by: number;
  halve_stage: number;
  halve_a: number;
  halve_b: number;
  restale_after: number | null;
};

export function togetherCounts(db: Database) {
  const q = {
    cursor: db.query<Cursor, []>(
      `SELECT last_seq, part, baskets, skipped, min_baskets, period_start, halvings, halve_by, halve_stage, halve_a, halve_b,
              restale_after FROM together_cursor WHERE id = 1`,
    ),
    entries: db.query<{ seq: number; at: string; kind: string; ref: string }, [number, number]>(
      "SELECT seq, at, kind, ref FROM journal WHERE seq > ? ORDER BY seq LIMIT ?",
    ),
    lines: db.query<Quantity, [string]>("SELECT product_id AS productId, qty_milli AS qtyMilli FROM sale_lines WHERE sale_id = ?"),
    saleOfReturn: db.query<{ sale_id: string; completed_at: string | null }, [string]>(
      "SELECT r.sale_id, s.completed_at FROM returns r JOIN sales s ON s.id = r.sale_id WHERE r.id = ?",
    ),
    // what this return and the sale's returns before it took back (returns are rows in the order they committed)
    returned: db.query<Quantity & { now: number }, [string, string]>(
      `SELECT rl.product_id AS productId, rl.qty_milli AS qtyMilli, r.id = ?2 AS now
         FROM returns r JOIN return_lines rl ON rl.return_id = r.id
        WHERE r.sale_id = ?1 AND r.rowid <= (SELECT rowid FROM returns WHERE id = ?2)`,
    ),
    addProduct: db.query<{ baskets: number; ruled: number }, [number]>(
      "INSERT INTO together_products(product_id, baskets) VALUES (?1, 1) ON CONFLICT(product_id) DO UPDATE SET baskets = baskets + 1 RETURNING baskets, ruled",
    ),
    dropProduct: db.query("DELETE FROM together_products WHERE product_id = ? AND baskets <= 1"),
    lessProduct: db.query("UPDATE together_products SET baskets = baskets - 1 WHERE product_id = ?"),
    addPair: db.query("INSERT INTO together_pairs(a, b, baskets) VALUES (?1, ?2, 1) ON CONFLICT(a, b) DO UPDATE SET baskets = baskets + 1"),
    dropPair: db.query("DELETE FROM together_pairs WHERE a = ? AND b = ? AND baskets <= 1"),
    lessPair: db.query("UPDATE together_pairs SET baskets = baskets - 1 WHERE a = ? AND b = ?"),
    stale: db.query("INSERT OR IGNORE INTO together_stale(product_id) VALUES (?)"),
    moveOn: db.query("UPDATE together_cursor SET last_seq = ?, part = ?, baskets = ?, skipped = ?, period_start = ? WHERE id = 1"),
    startHalving: db.query(
      `UPDATE together_cursor SET period_start = ?1, halvings = halvings + ?2, halve_by = ?3, halve_stage = 0, halve_a = ?4, halve_b = ?4,
              baskets = ?5 WHERE id = 1`,
    ),
    halvedTo: db.query("UPDATE together_cursor SET halve_by = ?, halve_stage = ?, halve_a = ?, halve_b = ? WHERE id = 1"),
    // a halving, a batch at a time in key order: the batch's last key, then its counts that fade to nothing go and the rest halve
    pairAt: db.query<{ a: number; b: number }, [number, number, number]>(
      "SELECT a, b FROM together_pairs WHERE (a, b) > (?1, ?2) ORDER BY a, b LIMIT 1 OFFSET ?3",
    ),
    dropPairs: db.query("DELETE FROM together_pairs WHERE (a, b) > (?1, ?2) AND (a, b) <= (?3, ?4) AND (baskets >> ?5) = 0"),
    halvePairs: db.query("UPDATE together_pairs SET baskets = baskets >> ?5 WHERE (a, b) > (?1, ?2) AND (a, b) <= (?3, ?4)"),
    productAt: db.query<{ product_id: number }, [number, number]>(
      "SELECT product_id FROM together_products WHERE product_id > ? ORDER BY product_id LIMIT 1 OFFSET ?",
    ),
    staleIn: db.query("INSERT OR IGNORE INTO together_stale(product_id) SELECT product_id FROM together_products WHERE product_id > ?1 AND product_id <= ?2"),
    dropProducts: db.query("DELETE FROM together_products WHERE product_id > ?1 AND product_id <= ?2 AND (baskets >> ?3) = 0"),
    halveProducts: db.query("UPDATE together_products SET baskets = baskets >> ?3, ruled = ruled >> ?3 WHERE product_id > ?1 AND product_id <= ?2"),
    setting: db.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?"),
    // a new minimum: every product's rules again, marked a batch at a time after restale_after
    keepMin: db.query("UPDATE together_cursor SET min_baskets = ?, restale_after = ? WHERE id = 1"),
    restaleAfter: db.query("UPDATE together_cursor SET restale_after = ? WHERE id = 1"),
    staleOnes: db.query<{ product_id: number }, [number]>("SELECT product_id FROM together_stale LIMIT ?"),
    withA: db.query<{ baskets: number }, [number]>("SELECT baskets FROM together_products WHERE product_id = ?"),
    ruled: db.query("UPDATE together_products SET ruled = baskets WHERE product_id = ?"),
    // the pairs of one product either way round, with the other's basket count; only those seen often enough
    candidates: db.query<Candidate, [number, number]>(
      `SELECT p.b AS productId, p.baskets AS together, t.baskets AS withB
         FROM together_pairs p JOIN together_products t ON t.product_id = p.b WHERE p.a = ?1 AND p.baskets >= ?2
       UNION ALL
       SELECT p.a, p.baskets, t.baskets
         FROM together_pairs p JOIN together_products t ON t.product_id = p.a WHERE p.b = ?1 AND p.baskets >= ?2`,
    ),
    dropRules: db.query("DELETE FROM together_rules WHERE product_id = ?"),
    addRule: db.query("INSERT INTO together_rules(product_id, rank, other_id, together, support, confidence, lift) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    fresh: db.query("DELETE FROM together_stale WHERE product_id = ?"),
  };

  /** The minimum as the store's setting has it (a whole number from 1; the default when unset or unreadable). */
  function minBaskets(): number {
    const v = Number(q.setting.get(MIN_BASKETS_SETTING)?.value);
    return Number.isInteger(v) && v >= 1 ? v : DEFAULT_MIN_BASKETS;
  }

  /** The days after which the counts are halved, as the store's setting has it (0: never; the default when unset). */
  function halveDays(): number {
    const typed = q.setting.get(HALVE_DAYS_SETTING)?.value;
    const v = Number(typed);
    return typed !== undefined && typed !== "" && Number.isInteger(v) && v >= 0 ? v : DEFAULT_HALVE_DAYS;
  }

  /**
   * What a journal entry does to the counts: a completed sale adds its basket (or is left out, too large), a return
   * takes out of its sale's basket what left it — unless that sale was counted before the last halving, when its
   * basket has already faded and taking a whole one out would take too much.
   */
  function changeOf(e: { kind: string; ref: string }, c: Cursor): { change: CountChange | null; skipped: boolean } {
    if (e.kind === "sale.completed") {
      const sold = q.lines.all(e.ref);
      const change = basketAdded(sold.map((l) => l.productId));
      return { change, skipped: change === null && sold.length > 0 };
    }
    if (e.kind === "return.completed") {
      const sale = q.saleOfReturn.get(e.ref);
      if (!sale) return { change: null, skipped: false }; // no receipt, or another store's sale
      if (c.halvings > 0 && c.period_start !== null && (sale.completed_at ?? "") < c.period_start) return { change: null, skipped: false };
      const back = q.returned.all(sale.sale_id, e.ref);
      const change = itemsReturned(
        q.lines.all(sale.sale_id),
        back.filter((l) => !l.now),
        back.filter((l) => l.now),
      );
      return { change, skipped: false };
    }
    return { change: null, skipped: false };
  }

  /** One row of pairs: up by one for a basket, down by one for what a return took out (a pair at nothing goes). */
  function writeRow(sign: 1 | -1, product: number, others: readonly number[]): void {
    for (const other of others) {
      const a = Math.min(product, other);
      const b = Math.max(product, other);
      if (sign > 0) q.addPair.run(a, b);
      else {
        q.dropPair.run(a, b);
        q.lessPair.run(a, b);
      }
    }
  }

  /**
   * A product's rules are worked out again once it is in enough baskets to have one (a pair is never in more baskets
   * than either product), and then after every `min` more baskets or a tenth more, whichever is more: its rules move
   * slowly, and a product in half the baskets is not worked out again after every sale. A return changes the pairs of
   * every product of its basket: they are all worked out again.
   */
  function writeProducts(change: CountChange, min: number): void {
    if (change.sign > 0) {
      for (const id of change.products) {
        const c = q.addProduct.get(id)!;
        if (c.baskets >= min && c.baskets - c.ruled >= Math.max(min, Math.ceil(c.ruled / 10))) q.stale.run(id);
      }
      return;
    }
    for (const id of change.products) {
      q.dropProduct.run(id);
      q.lessProduct.run(id);
    }
    for (const id of new Set([...change.products, ...change.rows.flatMap((r) => r.with)])) q.stale.run(id);
  }

  /**
   * Count the journal's entries after the cursor, one row of pairs after another until the step's time is up: the
   * entry under way is taken up again at its next row by the next pass. A halving that is due comes first. In one
   * transaction with the cursor's move. What it did (null: nothing left to count).
   */
  const countTx = db.transaction((budgetMs: number): StepKind | null => {
    const t0 = performance.now();
    const over = () => performance.now() - t0 >= budgetMs;
    const c = q.cursor.get()!;
    if (c.halve_by > 0) {
      halve(c, over);
      return "halve";
    }
    const periodMs = halveDays() * DAY_MS;
    const min = minBaskets();
    let last = c.last_seq;
    let part = c.part;
    let baskets = c.baskets;
    let skipped = c.skipped;
    let periodStart = c.period_start;
    let did: StepKind | null = null;
    let due = 0;
    for (const e of q.entries.all(c.last_seq, ENTRIES_PER_PASS)) {
      const { change, skipped: left } = changeOf(e, c);
      if (change && part === 0) {
        periodStart ??= e.at;
        // the counts so far fade before this entry is counted (the next steps halve them, then count it)
        due = halvingsDue(Date.parse(periodStart), Date.parse(e.at), periodMs);
        if (due > 0) break;
      }
      did = "count";
      if (change) {
        if (part === 0) {
          writeProducts(change, min);
          if (change.basket) baskets = Math.max(0, baskets + change.sign);
        }
        let i = part;
        for (; i < change.rows.length; i++) {
          writeRow(change.sign, change.rows[i]!.product, change.rows[i]!.with);
          if (over()) break;
        }
        if (i + 1 < change.rows.length) {
          part = i + 1;
          break;
        }
      } else if (left) skipped++;
      last = e.seq;
      part = 0;
      if (over()) break;
    }
    q.moveOn.run(last, part, baskets, skipped, periodStart);
    if (due > 0) {
      const times = Math.min(due, 62);
      q.startHalving.run(new Date(Date.parse(periodStart!) + due * periodMs).toISOString(), due, times, FIRST, halved(baskets, times));
      return "halve";
    }
    return did;
  });

  /**
   * A batch of the halving under way after another until the step's time is up: the pairs in key order, then the
   * products (whose rules are then all worked out again: pairs under the minimum have gone, the figures moved).
   */
  function halve(c: Cursor, over: () => boolean): void {
    const by = c.halve_by;
    let stage = c.halve_stage;
    let a = c.halve_a;
    let b = c.halve_b;
    do {
      if (stage === 0) {
        const end = q.pairAt.get(a, b, HALVE_BATCH - 1);
        const [toA, toB] = end ? [end.a, end.b] : [LAST, LAST];
        q.dropPairs.run(a, b, toA, toB, by);
        q.halvePairs.run(a, b, toA, toB, by);
        if (end) [a, b] = [end.a, end.b];
        else [stage, a, b] = [1, FIRST, FIRST];
      } else {
        const end = q.productAt.get(a, HALVE_BATCH - 1);
        const to = end ? end.product_id : LAST;
        q.staleIn.run(a, to);
        q.dropProducts.run(a, to, by);
        q.halveProducts.run(a, to, by);
        if (!end) {
          q.halvedTo.run(0, 0, 0, 0);
          return;
        }
        a = end.product_id;
      }
    } while (!over());
    q.halvedTo.run(by, stage, a, b);
  }

  /** Work out again the rules of products whose counts (or the minimum) changed, until the step's time is up. */
  const rulesTx = db.transaction((budgetMs: number): StepKind | null => {
    const cursor = q.cursor.get()!;
    const min = minBaskets();
    let restale = cursor.restale_after;
    if (cursor.min_baskets !== min) {
      restale = FIRST;
      q.keepMin.run(min, restale);
    }
    if (restale !== null) {
      const end = q.productAt.get(restale, HALVE_BATCH - 1);
      q.staleIn.run(restale, end ? end.product_id : LAST);
      q.restaleAfter.run(end ? end.product_id : null);
    }
    const stale = q.staleOnes.all(PRODUCTS_PER_PASS);
    const t0 = performance.now();
    let done = 0;
    for (const { product_id: id } of stale) {
      if (done > 0 && performance.now() - t0 > budgetMs) break;
      done++;
      q.dropRules.run(id);
      const withA = q.withA.get(id)?.baskets ?? 0;
      if (withA > 0) {
        const rules = strongestRules({ baskets: cursor.baskets, withA }, q.candidates.all(id, min), { minBaskets: min }, RULES_PER_PRODUCT);
        rules.forEach((r, i) => {
          q.addRule.run(id, i + 1, r.productId, r.together, r.support, r.confidence, r.lift);
        });
      }
      q.ruled.run(id);
      q.fresh.run(id);
    }
    return done > 0 || restale !== null ? "rules" : null;
  });

  /**
   * One step of about `budgetMs` of work: counting (a due halving first), else working out rules. What it did, null
   * when there was nothing to do.
   */
  const step = (budgetMs: number = STEP_MS): StepKind | null => countTx.immediate(budgetMs) ?? rulesTx.immediate(budgetMs);

  return {
    minBaskets,
    halveDays,
    step,
    /** Everything up to date now, step by step (tests, the bench); the steps taken. */
    catchUp(): number {
      let steps = 0;
      while (step()) steps++;
      return steps;
    },
    /** How far counting has come: baskets counted, large ones left out, halvings made, and the settings they follow. */
    state() {
      const c = q.cursor.get()!;
      return {
        baskets: c.baskets,
        skipped: c.skipped,
        lastSeq: c.last_seq,
        halvings: c.halvings,
        periodStart: c.period_start,
        minBaskets: minBaskets(),
        halveDays: halveDays(),
      };
    },
  };
}
