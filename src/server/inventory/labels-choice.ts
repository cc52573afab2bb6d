// Which products get shelf labels: those ticked (by id), those whose barcodes or SKUs were pasted or scanned one a
// line, those whose price changed since a day, a delivery's. Reads only; a refusal says what to put right.
import type { Database } from "bun:sqlite";
import type { EmbeddedPattern } from "../../domain/kernel/barcode.ts";
import { isCalendarDate, startOfDay, tradingYears } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Catalog, Product } from "../catalog/queries.ts";
import { MAX_LABELS } from "./labels.ts";

/** What a person asked labels for; any of them, together. */
export type LabelRequest = { ids: readonly number[]; codes: string; since: string };

/** How many search results the page shows at once. */
export const LABEL_SEARCH_LIMIT = 50;

const tooMany = (n: number) =>
  new Problem("too_many_labels", `That is ${n} or more labels; one PDF takes at most ${MAX_LABELS}. Choose fewer products, or a later date.`, {
    max: MAX_LABELS,
  });

/** "1,2,3" from a link: the ids, or a refusal. */
export function readIds(text: string | undefined): number[] {
  if (text === undefined || text.trim() === "") return [];
  if (!/^\d{1,15}(,\d{1,15})*$/.test(text)) throw new Problem("invalid_input", "That link to labels is broken; choose the products again.");
  const ids = text.split(",").map(Number);
  if (ids.length > MAX_LABELS) throw tooMany(ids.length);
  return ids;
}

/** A day typed for "prices changed since": "" for none, else a real date. */
export function readSince(text: string): string | null {
  const day = text.trim();
  if (day === "") return null;
  if (!isCalendarDate(day, tradingYears)) {
    throw new Problem("invalid_input", `"${day.slice(0, 20)}" is not a date; choose one like 2026-11-25 for "prices changed since".`, { field: "since" });
  }
  return day;
}

export function labelChoice(deps: { db: Database; catalog: Catalog }) {
  const { db, catalog } = deps;
  const q = {
    // by the index on price_changed_at: one more than a PDF takes, to know it is too many without counting them all
    since: db.query<{ id: number }, [string, number]>("SELECT id FROM products WHERE price_changed_at >= ? AND active = 1 ORDER BY price_changed_at LIMIT ?"),
    delivery: db.query<{ supplier: string; at: string }, [string]>("SELECT supplier, at FROM deliveries WHERE id = ?"),
    delivered: db.query<{ product_id: number }, [string]>("SELECT product_id FROM delivery_lines WHERE delivery_id = ? ORDER BY n"),
  };
  const byName = (a: Product, b: Product) => a.name.localeCompare(b.name, "en") || a.id - b.id;

  /** Products by id, in that order; one that is gone is refused. */
  function byIds(ids: readonly number[]): Product[] {
    const out: Product[] = [];
    for (const id of new Set(ids)) {
      const p = catalog.byId(id);
      if (!p) throw new Problem("unknown_product", "A product chosen for labels is no longer in the catalog; choose the products again.", { id });
      out.push(p);
    }
    return out;
  }

  /** Barcodes or SKUs one a line (a scan of a price- or weight-embedded code finds its product); unknown ones refused. */
  function byCodes(text: string, patterns: readonly EmbeddedPattern[]): Product[] {
    const lines = text
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (lines.length > MAX_LABELS) throw tooMany(lines.length);
    const out: Product[] = [];
    const unknown: string[] = [];
    for (const code of lines) {
      const p = catalog.scan(code, patterns)?.product ?? catalog.bySku(code);
      if (p) out.push(p);
      else unknown.push(code.slice(0, 40));
    }
    if (unknown.length > 0) {
      const named = unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : "");
      throw new Problem("unknown_sku", `No product has the barcode or SKU ${named}; correct or remove ${unknown.length === 1 ? "that line" : "those lines"}.`, {
        codes: unknown.slice(0, 100),
      });
    }
    return out;
  }

  /** Products on sale whose price changed on or after the store's calendar `day` (new ones count), by name. */
  function changedSince(day: string, timeZone: string): Product[] {
    const rows = q.since.all(startOfDay(day, timeZone), MAX_LABELS + 1);
    if (rows.length > MAX_LABELS) throw tooMany(rows.length);
    return rows.map((r) => catalog.byId(r.id)!).sort(byName);
  }

  return {
    byIds,
    byCodes,
    changedSince,

    /** A delivery's products, in its order, and whose it was; null when there is no such delivery. */
    delivery(id: string): { supplier: string; at: string; ids: number[] } | null {
      const d = q.delivery.get(id);
      return d ? { ...d, ids: q.delivered.all(id).map((r) => r.product_id) } : null;
    },

    /** What a person typed or scanned to find products: the scanned one, then the best matches of name, SKU or barcode. */
    search(text: string, patterns: readonly EmbeddedPattern[]): Product[] {
      const typed = text.trim();
      if (typed === "") return [];
      const exact = catalog.scan(typed, patterns)?.product ?? catalog.bySku(typed);
      const best = catalog.searchBest(typed, LABEL_SEARCH_LIMIT);
      return exact ? [exact, ...best.filter((p) => p.id !== exact.id)].slice(0, LABEL_SEARCH_LIMIT) : best;
    },

    /**
     * Everything asked for, each product once: the ticked ones, the pasted ones, then those changed since the day.
     * `changed` says how many the day brought (none: the sentence says so).
     */
    choose(asked: LabelRequest, o: { patterns: readonly EmbeddedPattern[]; timeZone: string }): { products: Product[]; changed: number | null } {
      const since = readSince(asked.since);
      const seen = new Set<number>();
      const products: Product[] = [];
      const add = (list: Product[]) => {
        for (const p of list) {
          if (seen.has(p.id)) continue;
          seen.add(p.id);
          products.push(p);
          if (products.length > MAX_LABELS) throw tooMany(products.length);
        }
      };
      add(byIds(asked.ids));
      add(byCodes(asked.codes, o.patterns));
      const changed = since === null ? null : changedSince(since, o.timeZone);
      if (changed) add(changed);
      return { products, changed: changed === null ? null : changed.length };
    },
  };
}

export type LabelChoice = ReturnType<typeof labelChoice>;
