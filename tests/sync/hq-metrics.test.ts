// Head office's /metrics: read only with an API token for every store (not a person's session, not a token limited to
// some stores), parsed by a Prometheus text parser; the counters, the batch timings and each store's figures move after
// real stores send real batches (and a backup); with the database away it still answers, saying so.
import { beforeAll, expect, test } from "bun:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { nightlyBackups } from "../../src/server/backups/nightly.ts";
import { sendBackupsToHeadOffice } from "../../src/server/backups/upload.ts";
import { GENESIS } from "../../src/server/platform/journal-chain.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { contentHash, type JournalEntriesPayload, outboxRef } from "../../src/sync/contracts.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { TestClock } from "../helpers/store.ts";
import { errorCode, type Hq, ORIGIN, signedIn } from "./hq-support.ts";
import { type Link, sell, sendAll, withLinkedStores } from "./linked-stores.ts";
import { batch, item, saleDoc } from "./support.ts";

const linked = withLinkedStores();
let hq: Hq;
let chainToken: string;
beforeAll(async () => {
  hq = linked.hq;
  chainToken = (await createApiToken(hq.sql, "Monitoring", "test")).secret;
});

type Sample = { value?: string; count?: string; labels?: Record<string, string>; buckets?: Record<string, string> };
type Family = { name: string; type: string; metrics: Sample[] };

const scrape = (headers: Record<string, string> = {}) => hq.app.request(`${ORIGIN}/metrics`, { headers: { Host: "hq.test", ...headers } });

async function figures(token = chainToken): Promise<Map<string, Family>> {
  const res = await scrape({ Authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toStartWith("text/plain");
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

/** The one sample of a family (of a store's, with its label), as a number; NaN written "Nan" by prom-client reads as NaN. */
function value(m: Map<string, Family>, name: string, store?: string): number {
  const family = m.get(name);
  if (!family) throw new Error(`no ${name} in the scrape`);
  const sample = store === undefined ? family.metrics[0] : family.metrics.find((s) => s.labels?.store === store);
  if (!sample) throw new Error(`no ${name} for store ${store}`);
  return Number(sample.value);
}

const timed = (m: Map<string, Family>) => Number(m.get("shopflow_hq_batch_seconds")!.metrics[0]!.count);

/** A journal item whose only entry does not hash to what it claims: head office's check flags the chain as broken. */
function brokenJournalItem(seq: number) {
  const doc: JournalEntriesPayload = {
    entries: [{ at: "2026-11-25T10:00:00.000Z", ref: "sale-1", seq: 1, data: "{}", hash: "0".repeat(64), kind: "sale.completed", prev_hash: GENESIS }],
  };
  const payload = JSON.stringify(doc);
  return { seq, kind: "journal_entries", ref: outboxRef.journal_entries(doc), hash: contentHash(payload), payload };
}

/** A batch posted as a store posts it, with its token. */
function post(link: Link, body: unknown) {
  return fetch(`${link.url}/sync/v1/batches`, {
    method: "POST",
    headers: { Authorization: `Bearer ${link.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

test("without a token, with a person's session only, or with an unknown token: 401; a token limited to some stores: 403", async () => {
  const none = await scrape();
  expect(none.status).toBe(401);
  expect(await errorCode(none)).toBe("api_token_required");
  expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");

  const admin = await signedIn(hq, "Metrics Admin", "admin");
  const session = await admin.request("GET", "/metrics");
  expect(session.status).toBe(401);
  // a secret in the query string is no way in either
  expect((await hq.app.request(`${ORIGIN}/metrics?token=${chainToken}`, { headers: { Host: "hq.test" } })).status).toBe(401);

  const unknown = await scrape({ Authorization: "Bearer sfhqapi_not-a-token-of-ours" });
  expect(unknown.status).toBe(401);
  expect(await errorCode(unknown)).toBe("api_token_invalid");

  const link = await linked.registered("Limited Store");
  const limited = await createApiToken(hq.sql, "One store's", "test", [link.storeId]);
  const refused = await scrape({ Authorization: `Bearer ${limited.secret}` });
  expect(refused.status).toBe(403);
  expect(await errorCode(refused)).toBe("forbidden");
  expect(await refused.text()).toContain("only some stores");
});

test("counters, batch timings and each store's figures move after real stores send their batches and a backup", async () => {
  const link = await linked.registered("Metrics Store");
  const before = await figures();
  expect(value(before, "shopflow_hq_database_up")).toBe(1);
  expect(value(before, "shopflow_hq_catalog_version")).toBe(0);
  const salesBefore = value(before, "shopflow_hq_sales_ingested_total");
  const batchesBefore = value(before, "shopflow_hq_batches_ingested_total");
  const timedBefore = timed(before);
  // registered, never heard from: its series are there, with nothing to be old
  expect(before.get("shopflow_hq_store_info")!.metrics).toContainEqual(expect.objectContaining({ labels: { store: link.storeId, name: "Metrics Store" } }));
  for (const name of ["shopflow_hq_store_last_contact_seconds", "shopflow_hq_store_last_batch_seconds", "shopflow_hq_store_newest_sale_age_seconds"]) {
    expect([name, value(before, name, link.storeId)]).toEqual([name, Number.NaN]);
  }
  expect(value(before, "shopflow_hq_store_dead_letters", link.storeId)).toBe(0);

  const store = linked.connected(link);
  try {
    sell(store, 3);
    await store.journalUp.appendAll(() => store.clock.now().toISOString()); // the journal's entries join the outbox
    await sendAll(store);
    const clock = new TestClock(new Date("2026-11-25T02:30:00Z"));
    writeSetting(store.db, "backup_to_head_office", "1");
    const nightly = await nightlyBackups({ db: store.db, clock, sendToHeadOffice: sendBackupsToHeadOffice(store.db) }).runNow();
    expect(nightly.ok && nightly.uploaded).toBe(true);
  } finally {
    store.close();
  }

  const after = await figures();
  expect(value(after, "shopflow_hq_sales_ingested_total")).toBe(salesBefore + 3);
  expect(value(after, "shopflow_hq_batches_ingested_total")).toBeGreaterThan(batchesBefore);
  // every batch is timed: these were all acked
  expect(timed(after) - timedBefore).toBe(value(after, "shopflow_hq_batches_ingested_total") - batchesBefore);
  for (const name of [
    "shopflow_hq_store_last_contact_seconds",
    "shopflow_hq_store_last_batch_seconds",
    "shopflow_hq_store_newest_sale_age_seconds",
    "shopflow_hq_store_backup_age_seconds",
  ]) {
    const v = value(after, name, link.storeId);
    expect([name, Number.isFinite(v) && v >= 0]).toEqual([name, true]);
  }
  expect(value(after, "shopflow_hq_store_lag_seconds", link.storeId)).toBe(0);
  expect(value(after, "shopflow_hq_store_items_waiting", link.storeId)).toBe(0);
  expect(value(after, "shopflow_hq_store_journal_broken", link.storeId)).toBe(0);
  expect(value(after, "shopflow_hq_store_dead_letters", link.storeId)).toBe(0);
  expect(value(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
});

test("a set-aside item, a broken journal and a refused batch show on the store's series and the timings", async () => {
  const link = await linked.registered("Troubled Store");
  const bad = { ...item(1, saleDoc(1)), hash: "f".repeat(64) };
  expect((await post(link, batch(link.storeId, "E1", [bad, brokenJournalItem(2)]))).status).toBe(200);
  const before = await figures();
  // a gap: refused, timed all the same
  expect((await post(link, batch(link.storeId, "E1", [item(9, saleDoc(9))]))).status).toBe(409);
  const m = await figures();
  expect(value(m, "shopflow_hq_store_dead_letters", link.storeId)).toBe(1);
  expect(value(m, "shopflow_hq_store_journal_broken", link.storeId)).toBe(1);
  expect(value(m, "shopflow_hq_batches_refused_total")).toBe(value(before, "shopflow_hq_batches_refused_total") + 1);
  expect(value(m, "shopflow_hq_batches_ingested_total")).toBe(value(before, "shopflow_hq_batches_ingested_total"));
  expect(timed(m)).toBe(timed(before) + 1);
});

test("with the database away, /metrics still answers 200 and says only that the database is down", async () => {
  await hq.pg.kill();
  try {
    const m = await figures();
    expect(value(m, "shopflow_hq_database_up")).toBe(0);
    expect([...m.keys()]).toEqual(["shopflow_hq_database_up"]);
  } finally {
    await hq.pg.start();
  }
  let up = 0;
  for (let i = 0; i < 50 && up !== 1; i++) {
    const res = await scrape({ Authorization: `Bearer ${chainToken}` });
    if (res.status === 200) up = value(new Map((parsePrometheusTextFormat(await res.text()) as Family[]).map((f) => [f.name, f])), "shopflow_hq_database_up");
    if (up !== 1) await Bun.sleep(100);
  }
  expect(up).toBe(1);
});
