// Daily, monthly and yearly closures (NF525-style): when a business day, month or year has ended, a closure entry is
// written in the journal holding the period's totals and the perpetual grand total since the first sale, signed with
// the store's key. Each closure is its own short transaction; a store that was off catches up at its next start, day by
// day in order. Days without any entry get no closure.
import type { Database } from "bun:sqlite";
import { businessDate } from "../../domain/kernel/calendar.ts";
import { entryHash, GENESIS } from "../platform/journal-chain.ts";
import type { JournalSigner } from "./keys.ts";
import { add, type ClosureBody, type ClosureData, type ClosureKind, entryTotals, isClosure, noTotals, signedText, type Totals } from "./totals.ts";

type Row = { seq: number; at: string; kind: string; data: string };

export function journalClosures(db: Database, signer: JournalSigner, timeZone: () => string) {
  const q = {
    lastOf: db.query<{ seq: number; ref: string; data: string }, [string]>("SELECT seq, ref, data FROM journal WHERE kind = ? ORDER BY seq DESC LIMIT 1"),
    after: db.query<Row, [number]>("SELECT seq, at, kind, data FROM journal WHERE seq > ? ORDER BY seq"),
    closuresAfter: db.query<{ seq: number; ref: string; data: string }, [string, string]>(
      "SELECT seq, ref, data FROM journal WHERE kind = ? AND ref > ? ORDER BY seq",
    ),
    lastHash: db.query<{ hash: string }, []>("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1"),
    insert: db.query("INSERT INTO journal(at, kind, ref, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)"),
  };

  function write(kind: ClosureKind, body: ClosureBody, at: string): void {
    const prev = q.lastHash.get()?.hash ?? GENESIS;
    const data: ClosureData = { ...body, sig: signer.sign(signedText(prev, kind, body.period, body)) };
    const text = JSON.stringify(data);
    q.insert.run(at, kind, body.period, text, prev, entryHash(prev, at, kind, body.period, text));
  }

  /** The next day to close, before `today`: its entries' range and totals; null when none has ended. */
  function closeNextDay(today: string, at: string): string | null {
    return db
      .transaction(() => {
        const last = q.lastOf.get("closure.day");
        const lastData = last ? (JSON.parse(last.data) as ClosureData) : null;
        let day: string | null = null;
        let to = 0;
        let from = 0;
        let totals: Totals = noTotals();
        for (const e of q.after.iterate(lastData?.to_seq ?? 0)) {
          if (from === 0) from = e.seq;
          if (isClosure(e.kind)) continue;
          const d = businessDate(new Date(e.at), timeZone());
          if (day === null) {
            if (d >= today) return null; // the first entry after the last closure is of today: nothing has ended
            day = d;
          } else if (d > day) break;
          to = e.seq;
          const t = entryTotals(e.kind, e.data);
          if (t) totals = add(totals, t);
        }
        if (day === null) return null;
        write(
          "closure.day",
          { period: day, from_seq: from, to_seq: to, totals, grand: add(lastData?.grand ?? noTotals(), totals), key: signer.fingerprint },
          at,
        );
        return day;
      })
      .immediate();
  }

  /** The next month (or year) whose days (or months) are all closed and that has ended: closed from its parts. */
  function closeNextOf(
    kind: "closure.month" | "closure.year",
    parts: "closure.day" | "closure.month",
    length: 7 | 4,
    current: string,
    at: string,
  ): string | null {
    return db
      .transaction(() => {
        const last = q.lastOf.get(kind);
        const list = q.closuresAfter.all(parts, last ? `${last.ref}-99` : "");
        const period = list[0]?.ref.slice(0, length);
        if (period === undefined || period >= current) return null;
        const mine = list.filter((p) => p.ref.slice(0, length) === period).map((p) => JSON.parse(p.data) as ClosureData);
        const totals = mine.reduce((sum, p) => add(sum, p.totals), noTotals());
        const lastPart = mine.at(-1)!;
        write(kind, { period, from_seq: mine[0]!.from_seq, to_seq: lastPart.to_seq, totals, grand: lastPart.grand, key: signer.fingerprint }, at);
        return period;
      })
      .immediate();
  }

  return {
    /** Write every closure that is due at `now`, oldest first: days, then months, then years. Returns the periods closed. */
    closeDue(now: Date): string[] {
      const today = businessDate(now, timeZone());
      const at = now.toISOString();
      const closed: string[] = [];
      for (let d = closeNextDay(today, at); d !== null; d = closeNextDay(today, at)) closed.push(d);
      for (
        let m = closeNextOf("closure.month", "closure.day", 7, today.slice(0, 7), at);
        m !== null;
        m = closeNextOf("closure.month", "closure.day", 7, today.slice(0, 7), at)
      )
        closed.push(m);
      for (
        let y = closeNextOf("closure.year", "closure.month", 4, today.slice(0, 4), at);
        y !== null;
        y = closeNextOf("closure.year", "closure.month", 4, today.slice(0, 4), at)
      )
        closed.push(y);
      return closed;
    },
  };
}

export type JournalClosures = ReturnType<typeof journalClosures>;
