// A report: its rows this period beside the same rows the period before, and the totals of both.
import { addSums, type Figures, figuresOf, noSums, type Sums, type SumsRow } from "./figures.ts";

export type { SumsRow } from "./figures.ts";
export type ReportLine = { key: string; label: string; now: Figures; before: Figures };
export type Report = { lines: ReportLine[]; total: { now: Figures; before: Figures } };

/** Row order: by what they took (net), the busiest first; "by key" keeps the keys' own order (tax rates, hours). */
export type RowOrder = "net" | "key-number";

/**
 * Both periods' rows matched by key (a row of only one period shows nothing in the other), and the totals. A sale
 * with lines in several rows (two products) is one basket in the total: `baskets` is the count of sales of each period.
 */
export function compareRows(now: readonly SumsRow[], before: readonly SumsRow[], baskets: { now: number; before: number }, order: RowOrder): Report {
  const keys = new Map<string, { label: string; now: Sums; before: Sums }>();
  for (const r of now) keys.set(r.key, { label: r.label, now: r.sums, before: noSums });
  for (const r of before) {
    const k = keys.get(r.key);
    if (k) k.before = r.sums;
    else keys.set(r.key, { label: r.label, now: noSums, before: r.sums });
  }
  const lines = [...keys.entries()].map(([key, k]) => ({ key, label: k.label, now: figuresOf(k.now), before: figuresOf(k.before) }));
  lines.sort((a, b) =>
    order === "net" ? b.now.net - a.now.net || b.before.net - a.before.net || a.label.localeCompare(b.label) : Number(a.key) - Number(b.key),
  );
  const total = (rows: readonly SumsRow[], n: number) => figuresOf({ ...rows.reduce((s, r) => addSums(s, r.sums), noSums), baskets: n });
  return { lines, total: { now: total(now, baskets.now), before: total(before, baskets.before) } };
}
