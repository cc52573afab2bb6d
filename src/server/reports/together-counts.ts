// Frequently bought together, kept up to date in the background: completed sales after the last one counted become
// basket and pair counts, and the rules of the products they touched are worked out again. Never part of a sale's
// transaction (a sale pays nothing for it): short transactions of their own, each a bounded amount of work, so a
// scan waiting behind one waits a few milliseconds at most.
import type { Database } from "bun:sqlite";
import { basketProducts, type Candidate, DEFAULT_MIN_BASKETS, RULES_PER_PRODUCT, strongestRules } from "../../domain/suggestions/together.ts";

/** The store setting with the fewest baskets a pair must share before it is suggested. */
export const MIN_BASKETS_SETTING = "together_min_baskets";

/**
 * Work in one transaction: journal entries read, pair counts added, products' rules worked out again, and the time
 * after which a rules pass stops (checked after each product): a few milliseconds of the writer at a time.
 */
const ENTRIES_PER_PASS = 500;
const PAIRS_PER_PASS = 150;
const PRODUCTS_PER_PASS = 50;
const RULES_PASS_MS = 3;

export type TogetherCounts = ReturnType<typeof togetherCounts>;

export function togetherCounts(db: Database) {
  const q = {
    cursor: db.query<{ last_seq: number; baskets: number; skipped: number; min_baskets: number | null }, []>(
      "SELECT last_seq, baskets, skipped, min_baskets FROM together_cursor WHERE id = 1",
    ),
    entries: db.query<{ seq: number; kind: string; ref: string }, [number, number]>("SELECT seq, kind, ref FROM journal WHERE seq > ? ORDER BY seq LIMIT ?"),
    lines: db.query<{ product_id: number }, [string]>("SELECT product_id FROM sale_lines WHERE sale_id = ?"),
    countProduct: db.query<{ baskets: number; ruled: number }, [number, number]>(
      "INSERT INTO together_products(product_id, baskets) VALUES (?1, ?2) ON CONFLICT(product_id) DO UPDATE SET baskets = baskets + ?2 RETURNING baskets, ruled",
    ),
    countPair: db.query("INSERT INTO together_pairs(a, b, baskets) VALUES (?1, ?2, ?3) ON CONFLICT(a, b) DO UPDATE SET baskets = baskets + ?3"),
    stale: db.query("INSERT OR IGNORE INTO together_stale(product_id) VALUES (?)"),
    moveOn: db.query("UPDATE together_cursor SET last_seq = ?, baskets = baskets + ?, skipped = skipped + ? WHERE id = 1"),
    setting: db.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?"),
    allStale: db.query("INSERT OR IGNORE INTO together_stale(product_id) SELECT product_id FROM together_products"),
    keepMin: db.query("UPDATE together_cursor SET min_baskets = ? WHERE id = 1"),
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

  /**
   * Count the completed sales after the cursor: up to a pass's worth of journal entries or pairs, in one transaction
   * with the cursor's move. The number of journal entries read (0: nothing left).
   */
  const countTx = db.transaction((): number => {
    const cursor = q.cursor.get()!;
    let last = cursor.last_seq;
    let read = 0;
    let baskets = 0;
    let skipped = 0;
    let pairs = 0;
    // added up over the pass first: a pair bought often is written once a pass, not once a basket
    const productAdds = new Map<number, number>();
    const pairAdds = new Map<number, Map<number, number>>();
    for (const e of q.entries.all(cursor.last_seq, ENTRIES_PER_PASS)) {
      last = e.seq;
      read++;
      if (e.kind === "sale.completed") {
        const all = q.lines.all(e.ref).map((l) => l.product_id);
        const products = basketProducts(all);
        if (products.length === 0) {
          if (all.length > 0) skipped++;
        } else {
          baskets++;
          for (const id of products) productAdds.set(id, (productAdds.get(id) ?? 0) + 1);
          for (let i = 0; i < products.length; i++) {
            const a = products[i]!;
            const row = pairAdds.get(a) ?? new Map<number, number>();
            pairAdds.set(a, row);
            for (let j = i + 1; j < products.length; j++) row.set(products[j]!, (row.get(products[j]!) ?? 0) + 1);
          }
          pairs += (products.length * (products.length - 1)) / 2;
        }
      }
      if (pairs >= PAIRS_PER_PASS) break;
    }
    // A product's rules are worked out again once it is in enough baskets to have one (a pair is never in more baskets
    // than either product), and then after every `min` more baskets or a tenth more, whichever is more: its rules move
    // slowly, and a product in half the baskets is not worked out again after every sale.
    const min = minBaskets();
    for (const [id, n] of productAdds) {
      const c = q.countProduct.get(id, n)!;
      if (c.baskets >= min && c.baskets - c.ruled >= Math.max(min, Math.ceil(c.ruled / 10))) q.stale.run(id);
    }
    for (const [a, row] of pairAdds) for (const [b, n] of row) q.countPair.run(a, b, n);
    if (read > 0) q.moveOn.run(last, baskets, skipped);
    return read;
  });
  const countPass = (): number => countTx.immediate();

  /** Work out again the rules of up to a pass's worth of products whose counts (or the minimum) changed. The number done. */
  const rulesTx = db.transaction((): number => {
    const cursor = q.cursor.get()!;
    const min = minBaskets();
    if (cursor.min_baskets !== min) {
      q.allStale.run();
      q.keepMin.run(min);
    }
    const stale = q.staleOnes.all(PRODUCTS_PER_PASS);
    const t0 = performance.now();
    let done = 0;
    for (const { product_id: id } of stale) {
      if (done > 0 && performance.now() - t0 > RULES_PASS_MS) break;
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
    return done;
  });
  const rulesPass = (): number => rulesTx.immediate();

  /** One bounded step: a count pass, else a rules pass. False when there was nothing to do. */
  const step = (): boolean => countPass() > 0 || rulesPass() > 0;

  return {
    minBaskets,
    step,
    /** Everything up to date now, step by step (tests, the bench); the steps taken. */
    catchUp(): number {
      let steps = 0;
      while (step()) steps++;
      return steps;
    },
    /** How far counting has come: baskets counted, large ones left out, and the minimum the rules use. */
    state() {
      const c = q.cursor.get()!;
      return { baskets: c.baskets, skipped: c.skipped, lastSeq: c.last_seq, minBaskets: minBaskets() };
    },
  };
}

/**
 * In the background of a serving store: a round of steps every `everyMs`, yielding to the event loop between steps so
 * a scan is never held up by more than one of them; a round stops after `maxSteps` (the next round goes on).
 */
export function togetherWorker(counts: TogetherCounts, options: { everyMs?: number; maxSteps?: number } = {}) {
  const everyMs = options.everyMs ?? 2_000;
  const maxSteps = options.maxSteps ?? 200;
  let timer: ReturnType<typeof setInterval> | null = null;
  let round: Promise<void> | null = null;
  let stopping = false;
  const pause = () => new Promise<void>((r) => setTimeout(r, 0));
  const run = () => {
    if (round || stopping) return;
    round = (async () => {
      try {
        for (let i = 0; i < maxSteps && !stopping && counts.step(); i++) await pause();
      } catch (e) {
        console.error("bought together:", e instanceof Error ? e.message : e);
      }
    })().finally(() => {
      round = null;
    });
  };
  return {
    start(): void {
      if (timer) return;
      stopping = false;
      run();
      timer = setInterval(run, everyMs);
    },
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await round;
    },
  };
}
