// Head office checks each store's journal as it arrives: a real store's entries hold; a changed, deleted, reordered or
// cut-short-and-rewritten journal is flagged at the entry where it breaks, on the overview and the store's page.
import { beforeAll, expect, test } from "bun:test";
import { entryHash, GENESIS } from "../../src/server/journal/journal.ts";
import type { JournalRow } from "../../src/server/platform/journal-chain.ts";
import { type BatchItem, contentHash, type JournalEntriesPayload, outboxRef } from "../../src/sync/contracts.ts";
import type { HqSql } from "../../src/sync/hq/db/db.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { overview } from "../../src/sync/hq/stores/overview.ts";
import { storePage } from "../../src/sync/hq/stores/store-page.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { codes, makeTestStore } from "../helpers/store.ts";
import { batch, withHqDatabase } from "./support.ts";

const db = withHqDatabase();
let sql: HqSql;
beforeAll(() => {
  sql = db.sql;
});

/** A chain of n honest entries, as a store writes them. */
function chain(n: number, from: JournalRow | null = null, tag = "x"): JournalRow[] {
  const out: JournalRow[] = [];
  let prev = from?.hash ?? GENESIS;
  for (let i = 0; i < n; i++) {
    const seq = (from?.seq ?? 0) + i + 1;
    const at = new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString();
    const data = JSON.stringify({ receipt: `${tag}${seq}`, total: 100 * seq });
    const hash = entryHash(prev, at, "sale.completed", `sale-${seq}`, data);
    out.push({ seq, at, kind: "sale.completed", ref: `sale-${seq}`, data, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

function journalItem(seq: number, entries: JournalRow[]): BatchItem {
  const doc: JournalEntriesPayload = {
    entries: entries.map((e) => ({ at: e.at, ref: e.ref, seq: e.seq, data: e.data, hash: e.hash, kind: e.kind, prev_hash: e.prev_hash })),
  };
  const payload = JSON.stringify(doc);
  return { seq, kind: "journal_entries", ref: outboxRef.journal_entries(doc), hash: contentHash(payload), payload };
}

async function standing(storeId: string) {
  const [s] = await sql<{ last_seq: string; broken_seq: string | null; broken_reason: string | null }[]>`
    SELECT last_seq, broken_seq, broken_reason FROM store_journal_state WHERE store_id = ${storeId}::uuid`;
  return { last: Number(s!.last_seq), broken: s!.broken_seq === null ? null : Number(s!.broken_seq), reason: s!.broken_reason };
}

test("a real store's journal goes up through the outbox and holds, a batch sent again too", async () => {
  const shop = makeTestStore();
  try {
    for (const barcode of [codes.milk, codes.bread, codes.wine]) {
      const res = await shop.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode }], payments: [{ method: "cash", amount: 5000 }] } });
      expect(res.status).toBe(201);
    }
    await shop.store.journalUp.appendAll(() => shop.clock.now().toISOString());
    const rows = shop.store.db.query<BatchItem, []>("SELECT seq, kind, ref, hash, payload FROM outbox ORDER BY seq").all();
    expect(rows.some((r) => r.kind === "journal_entries")).toBe(true);
    const { storeId } = await addStore(sql, "Honest");
    const b = batch(storeId, "E1", rows);
    expect((await receiveBatch(sql, storeId, b)).status).toBe(200);
    expect((await receiveBatch(sql, storeId, b)).status).toBe(200);
    const journalCount = shop.store.db.query<{ n: number }, []>("SELECT count(*) AS n FROM journal").get()!.n;
    expect(await standing(storeId)).toEqual({ last: journalCount, broken: null, reason: null });
  } finally {
    shop.close();
  }
});

const tampered: [string, (c: JournalRow[]) => JournalRow[], number, string][] = [
  ["a changed entry", (c) => c.map((e) => (e.seq === 3 ? { ...e, data: e.data.replace("300", "30") } : e)), 3, "content does not match"],
  ["a deleted entry", (c) => c.filter((e) => e.seq !== 3), 3, "missing"],
  ["entries in another order", (c) => [c[0]!, c[2]!, c[1]!, ...c.slice(3)], 2, ""],
];

for (const [what, change, at, says] of tampered) {
  test(`${what} is flagged at its entry, on the overview and the store's page`, async () => {
    const { storeId } = await addStore(sql, `Tampered ${what}`);
    expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [journalItem(1, change(chain(5)))]))).status).toBe(200);
    const s = await standing(storeId);
    expect(s.broken).toBe(at);
    expect(s.reason).toContain(says);
    const o = await overview(sql, { day: "2026-11-25", now: new Date() });
    expect(o.attention).toContainEqual(expect.objectContaining({ kind: "journal", store_id: storeId, seq: at }));
    expect((await storePage(sql, storeId))!.journal?.broken_seq).toBe(at);
  });
}

test("a journal cut short and written again is flagged where it differs from what was sent", async () => {
  const { storeId } = await addStore(sql, "Truncated");
  const first = chain(4);
  expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [journalItem(1, first)]))).status).toBe(200);
  // the store loses entries 3 and 4 and writes others in their place, sent with the entries after them
  const rewritten = chain(3, first[1]!, "y");
  expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [journalItem(2, rewritten)]))).status).toBe(200);
  const s = await standing(storeId);
  expect(s.broken).toBe(3);
  expect(s.reason).toContain("not the one the store sent before");
});

test("a chain that carries on across batches holds", async () => {
  const { storeId } = await addStore(sql, "Two batches");
  const all = chain(6);
  expect((await receiveBatch(sql, storeId, batch(storeId, "E1", [journalItem(1, all.slice(0, 3)), journalItem(2, all.slice(3))]))).status).toBe(200);
  expect(await standing(storeId)).toEqual({ last: 6, broken: null, reason: null });
});
