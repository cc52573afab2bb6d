// `shopflow journal verify`: the whole chain walked once — every hash, numbers without a gap — and every closure checked
// against the entries it closes: its range, its totals, the grand total carried on, its signature.
import type { Database } from "bun:sqlite";
import type { KeyObject } from "node:crypto";
import { type ChainBreak, type ChainPoint, chainStart, checkLink, type JournalRow } from "../platform/journal-chain.ts";
import { fingerprintOf, signatureHolds } from "./keys.ts";
import { add, type ClosureData, entryTotals, isClosure, noTotals, sameTotals, signedText, type Totals } from "./totals.ts";

export type JournalReport = {
  entries: number;
  closures: { day: number; month: number; year: number };
  last: ChainPoint;
  /** The first thing wrong, or null when the whole journal holds. */
  broken: ChainBreak | null;
  /** Whether closures' signatures were checked (a public key was at hand). */
  signatures: "checked" | "not checked";
};

/** The journal in `db` checked from its first entry; `publicKey` checks the closures' signatures when given. */
export function verifyJournalFully(db: Database, publicKey: KeyObject | null): JournalReport {
  const fingerprint = publicKey ? fingerprintOf(publicKey) : null;
  const report: JournalReport = {
    entries: 0,
    closures: { day: 0, month: 0, year: 0 },
    last: chainStart,
    broken: null,
    signatures: publicKey ? "checked" : "not checked",
  };
  let point = chainStart;
  // what the next day closure must count: each entry's totals after the last day closed
  let open: { seq: number; t: Totals }[] = [];
  let lastDayTo = 0;
  let grand = noTotals();
  let days: ClosureData[] = [];
  let months: ClosureData[] = [];
  const fail = (seq: number, reason: string) => {
    report.broken = { seq, reason };
  };
  for (const e of db.query<JournalRow, []>("SELECT seq, at, kind, ref, data, prev_hash, hash FROM journal ORDER BY seq").iterate()) {
    const broken = checkLink(point, e);
    if (broken) {
      report.broken = broken;
      break;
    }
    point = { seq: e.seq, hash: e.hash };
    report.entries++;
    if (!isClosure(e.kind)) {
      const t = entryTotals(e.kind, e.data);
      if (t) open.push({ seq: e.seq, t });
      continue;
    }
    let c: ClosureData;
    try {
      c = JSON.parse(e.data) as ClosureData;
    } catch {
      fail(e.seq, "the closure's content is not readable");
      break;
    }
    const { sig, ...body } = c;
    if (c.period !== e.ref) {
      fail(e.seq, `the closure names period ${c.period} but is filed under ${e.ref}`);
      break;
    }
    if (publicKey && (body.key !== fingerprint || !signatureHolds(publicKey, signedText(e.prev_hash, e.kind, e.ref, body), sig))) {
      fail(e.seq, `the ${e.kind.slice(8)} closure of ${e.ref} is not signed by this store's key`);
      break;
    }
    if (e.kind === "closure.day") {
      report.closures.day++;
      if (c.from_seq !== lastDayTo + 1 || c.to_seq < c.from_seq - 1 || c.to_seq >= e.seq) {
        fail(e.seq, `the day closure of ${e.ref} covers entries ${c.from_seq} to ${c.to_seq}; it should start at ${lastDayTo + 1}`);
        break;
      }
      const mine = open.filter((x) => x.seq <= c.to_seq).reduce((s, x) => add(s, x.t), noTotals());
      open = open.filter((x) => x.seq > c.to_seq);
      grand = add(grand, mine);
      if (!sameTotals(mine, c.totals)) {
        fail(e.seq, `the day closure of ${e.ref} says ${JSON.stringify(c.totals)}; its entries add up to ${JSON.stringify(mine)}`);
        break;
      }
      if (!sameTotals(grand, c.grand)) {
        fail(e.seq, `the grand total in the day closure of ${e.ref} does not carry on from the closure before it`);
        break;
      }
      lastDayTo = c.to_seq;
      days.push(c);
    } else {
      const isMonth = e.kind === "closure.month";
      const pool = isMonth ? days : months;
      const parts = pool.filter((p) => p.period.startsWith(`${e.ref}-`));
      if (isMonth) report.closures.month++;
      else report.closures.year++;
      const sum = parts.reduce((s, p) => add(s, p.totals), noTotals());
      if (parts.length === 0 || !sameTotals(sum, c.totals) || !sameTotals(parts.at(-1)!.grand, c.grand)) {
        fail(e.seq, `the ${isMonth ? "month" : "year"} closure of ${e.ref} does not add up from its ${isMonth ? "days" : "months"}`);
        break;
      }
      if (isMonth) {
        days = days.filter((p) => !p.period.startsWith(`${e.ref}-`));
        months.push(c);
      } else months = months.filter((p) => !p.period.startsWith(`${e.ref}-`));
    }
  }
  report.last = point;
  if (!report.broken) report.broken = crossCheck(db, point.seq);
  return report;
}

/**
 * A journal cut short at its end keeps a sound chain: what else the store wrote says so. Every completed sale has its
 * entry, and the entries already put in the outbox for head office are there.
 */
function crossCheck(db: Database, lastSeq: number): ChainBreak | null {
  const sales = db.query<{ n: number }, []>("SELECT count(*) AS n FROM sales WHERE status = 'completed'").get()?.n ?? 0;
  const entries = db.query<{ n: number }, []>("SELECT count(*) AS n FROM journal WHERE kind = 'sale.completed'").get()?.n ?? 0;
  if (entries < sales) return { seq: lastSeq + 1, reason: `the store holds ${sales} completed sales but the journal only ${entries}: entries are missing` };
  const cursor = db.query<{ n: number }, []>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'journal_outbox_cursor'").get()?.n
    ? db.query<{ last_seq: number }, []>("SELECT last_seq FROM journal_outbox_cursor WHERE id = 1").get()
    : null; // a database from before migration 037
  const sent = cursor?.last_seq ?? 0;
  if (sent > lastSeq) return { seq: lastSeq + 1, reason: `entries up to ${sent} went to head office but the journal ends at ${lastSeq}: it was cut short` };
  return null;
}
