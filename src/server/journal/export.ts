// An auditor's file of the journal: every entry of the business days asked for, as it is stored — content, previous
// hash and hash, closures among them — as CSV or JSON lines. With the entry before the first (its hash is the first's
// previous hash) an auditor checks the chain of the period without the rest of the database.
import type { Database } from "bun:sqlite";
import type { JournalRow } from "../platform/journal-chain.ts";
import { isClosure } from "./totals.ts";

const columns = ["seq", "at", "kind", "ref", "data", "prev_hash", "hash"] as const;

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The entries whose time falls on the days `from` to `to` (UTC days, as the entries' times are written), and the
 * closures of periods in those days.
 */
export function journalExport(db: Database, o: { from: string; to: string; format: "csv" | "jsonl" }) {
  const rows = db
    .query<JournalRow, [string, string]>("SELECT seq, at, kind, ref, data, prev_hash, hash FROM journal WHERE substr(at, 1, 10) BETWEEN ? AND ? ORDER BY seq")
    .all(o.from, o.to);
  const lines = o.format === "csv" ? [columns.join(","), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))] : rows.map((r) => JSON.stringify(r));
  return { body: `${lines.join("\n")}\n`, entries: rows.length, closures: rows.filter((r) => isClosure(r.kind)).length };
}
