// The journal anyone can verify: closures written as days, months and years end, signed with the store's key, and
// every kind of tampering (a changed, deleted, moved entry, a journal cut short) found by `journal verify`.
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/server/cli/index.ts";
import { journalKeyPath, publicKeyFrom } from "../../src/server/journal/keys.ts";
import { verifyJournalFully } from "../../src/server/journal/verify.ts";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore | null = null;
afterEach(() => {
  t?.close();
  t = null;
});

async function sell(s: TestStore, barcode: string): Promise<number> {
  const res = await s.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode }], payments: [{ method: "cash", amount: 5000 }] } });
  expect(res.status).toBe(201);
  return (await res.json()).total;
}

/** Two days of November and one of December sold, closed as the clock passes into December. */
async function storeWithClosures(): Promise<{ s: TestStore; totals: number[] }> {
  const s = makeTestStore();
  t = s;
  const totals = [await sell(s, codes.milk), await sell(s, codes.bread)];
  s.clock.current = new Date("2026-11-26T09:00:00.000Z");
  expect(s.store.closures!.closeDue(s.clock.now())).toEqual(["2026-11-25"]);
  totals.push(await sell(s, codes.wine));
  s.clock.current = new Date("2026-12-01T09:00:00.000Z");
  expect(s.store.closures!.closeDue(s.clock.now())).toEqual(["2026-11-26", "2026-11"]);
  totals.push(await sell(s, codes.paper));
  expect(s.store.closures!.closeDue(s.clock.now())).toEqual([]); // today has not ended
  return { s, totals };
}

const key = (s: TestStore) => publicKeyFrom(readFileSync(journalKeyPath(s.dir), "utf8"));
const row = (s: TestStore, kind: string) =>
  s.store.db.query<{ seq: number; data: string }, [string]>("SELECT seq, data FROM journal WHERE kind = ? ORDER BY seq").all(kind);

function tamper(s: TestStore, sql: string): void {
  s.store.db.exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;");
  s.store.db.exec(sql);
}

test("closures hold the period's totals and the perpetual grand total, signed with the store's key", async () => {
  const { s, totals } = await storeWithClosures();
  const days = row(s, "closure.day").map((r) => JSON.parse(r.data));
  expect(days.map((d) => d.period)).toEqual(["2026-11-25", "2026-11-26"]);
  expect(days[0].totals).toEqual({ sales_count: 2, sales_minor: totals[0]! + totals[1]!, returns_count: 0, returns_minor: 0 });
  expect(days[1].grand.sales_minor).toBe(totals[0]! + totals[1]! + totals[2]!);
  const month = JSON.parse(row(s, "closure.month")[0]!.data);
  expect(month.totals.sales_count).toBe(3);
  expect(month.grand).toEqual(days[1].grand);
  const r = verifyJournalFully(s.store.db, key(s));
  expect(r.broken).toBeNull();
  expect(r.closures).toEqual({ day: 2, month: 1, year: 0 });
  expect(r.signatures).toBe("checked");
});

test("the key file is the store's user's alone, and journal verify / key / export answer on the command line", async () => {
  const { s } = await storeWithClosures();
  expect((await Bun.file(journalKeyPath(s.dir)).stat()).mode & 0o777).toBe(0o600);
  expect(await runCli(["journal", "verify", "--data", s.dir])).toBe(0);
  expect(await runCli(["journal", "key", "--data", s.dir])).toBe(0);
  const out = join(s.dir, "audit.csv");
  expect(await runCli(["journal", "export", "--from", "2026-11-25", "--to", "2026-11-30", "--out", out, "--data", s.dir])).toBe(0);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  expect(lines[0]).toBe("seq,at,kind,ref,data,prev_hash,hash");
  expect(lines.some((l) => l.includes("closure.day"))).toBe(true);
  expect(await runCli(["journal", "export", "--from", "2026-11-30", "--to", "2026-11-25", "--data", s.dir])).toBe(2);
});

test("a changed entry is found, at its number", async () => {
  const { s } = await storeWithClosures();
  const sale = row(s, "sale.completed")[1]!;
  tamper(s, `UPDATE journal SET data = replace(data, '"total":', '"total":1') WHERE seq = ${sale.seq}`);
  expect(verifyJournalFully(s.store.db, key(s)).broken).toEqual({ seq: sale.seq, reason: expect.stringContaining("content does not match") });
  expect(await runCli(["journal", "verify", "--data", s.dir])).toBe(1);
});

test("a changed entry with its hashes written again is still found: the closure's totals and signature", async () => {
  const { s } = await storeWithClosures();
  const sale = row(s, "sale.completed")[0]!;
  tamper(s, `UPDATE journal SET data = replace(data, '"total":', '"total":1') WHERE seq = ${sale.seq}`);
  // a forger re-hashes the whole chain after the change
  const { entryHash, GENESIS } = await import("../../src/server/journal/journal.ts");
  let prev = GENESIS;
  for (const e of s.store.db.query<{ seq: number; at: string; kind: string; ref: string; data: string }, []>("SELECT * FROM journal ORDER BY seq").all()) {
    const h = entryHash(prev, e.at, e.kind, e.ref, e.data);
    s.store.db.query("UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?").run(prev, h, e.seq);
    prev = h;
  }
  const broken = verifyJournalFully(s.store.db, key(s)).broken!;
  expect(broken.seq).toBe(row(s, "closure.day")[0]!.seq);
});

test("a deleted entry is found", async () => {
  const { s } = await storeWithClosures();
  const sale = row(s, "sale.completed")[2]!;
  tamper(s, `DELETE FROM journal WHERE seq = ${sale.seq}`);
  expect(verifyJournalFully(s.store.db, key(s)).broken).toEqual({ seq: sale.seq, reason: expect.stringContaining("missing") });
});

test("entries put in another order are found", async () => {
  const { s } = await storeWithClosures();
  const [a, b] = row(s, "sale.completed");
  tamper(
    s,
    `UPDATE journal SET seq = -1 WHERE seq = ${a!.seq}; UPDATE journal SET seq = ${a!.seq} WHERE seq = ${b!.seq}; UPDATE journal SET seq = ${b!.seq} WHERE seq = -1;`,
  );
  expect(verifyJournalFully(s.store.db, key(s)).broken?.seq).toBe(a!.seq);
});

test("a journal cut short at its end is found", async () => {
  const { s } = await storeWithClosures();
  const last = row(s, "sale.completed").at(-1)!;
  tamper(s, `DELETE FROM journal WHERE seq >= ${last.seq}`);
  expect(verifyJournalFully(s.store.db, key(s)).broken).toEqual({ seq: last.seq, reason: expect.stringContaining("completed sales") });
});

test("a store that was off catches up: every day with entries closed in order, then the months and the year", async () => {
  const s = makeTestStore();
  t = s;
  await sell(s, codes.milk);
  s.clock.current = new Date("2026-12-30T10:00:00.000Z");
  await sell(s, codes.bread);
  s.clock.current = new Date("2027-01-03T10:00:00.000Z");
  expect(s.store.closures!.closeDue(s.clock.now())).toEqual(["2026-11-25", "2026-12-30", "2026-11", "2026-12", "2026"]);
  const r = verifyJournalFully(s.store.db, key(s));
  expect(r.broken).toBeNull();
  expect(r.closures).toEqual({ day: 2, month: 2, year: 1 });
});
