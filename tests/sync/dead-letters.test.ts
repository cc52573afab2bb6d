// Dead letters a person can see, understand and settle, on a real PostgreSQL through the real app: a return a store
// sent before head office knew returns is replayed after the upgrade and lands exactly once (a second replay, the
// store sending it again and a later batch change nothing twice); a replay refused again brings the reason up to date;
// a dead letter kept without its whole payload (a masked card number) cannot be replayed and shows no card number;
// discarding needs a reason; a viewer reads but never settles; every change is in the audit log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ReturnPayload } from "../../src/sync/contracts.ts";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { deadLetterBody, keptLabel } from "../../src/sync/hq/ingest/dead-letter.ts";
import { type BatchItem, receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { payloadHash } from "../../src/sync/hq/ingest/sale-item.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, ORIGIN, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, item, returnDoc, saleDoc } from "./support.ts";

let hq: Hq;
let admin: Visitor;
let viewer: Visitor;
let apiToken: string;

beforeAll(async () => {
  hq = await startHq();
  admin = await signedIn(hq, "Ana", "admin");
  viewer = await signedIn(hq, "Vic", "viewer");
  apiToken = (await createApiToken(hq.sql, "ops-script", "test")).secret;
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const returned = (seq: number, doc: ReturnPayload): BatchItem => item(seq, doc, "return");

/**
 * What a head office from before returns (HQ migration 007) made of a return: its receiver knew no kind "return", so it
 * sent the item to hq_receive_batch refused, with that reason and the item as sent, as receiver.ts builds it.
 */
async function sentToAnOldHeadOffice(storeId: string, it: BatchItem): Promise<void> {
  const hash = payloadHash(it.payload);
  const refused = { ref: keptLabel(it.ref), seq: it.seq, body: deadLetterBody(it, hash), hash, kind: keptLabel(it.kind), reason: 'unknown kind "return"' };
  const [row] = await hq.sql<{ r: { outcome: string } }[]>`
    SELECT hq_receive_batch(${storeId}::uuid, 'E1', ${it.seq}::bigint, ${it.seq}::bigint, ${JSON.stringify([refused])}::text::jsonb, ''::text, '{}'::jsonb) AS r`;
  expect(row!.r.outcome).toBe("ok");
}

async function holdings(storeId: string) {
  const [h] = await hq.sql<{ returns: number; sales: number; open: number; settled: number; last_seq: number; contact: Date | null }[]>`
    SELECT (SELECT count(*) FROM hq_returns WHERE store_id = ${storeId}::uuid) AS returns,
      (SELECT count(*) FROM sales WHERE store_id = ${storeId}::uuid) AS sales,
      (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}::uuid) AS open,
      (SELECT count(*) FROM settled_dead_letters WHERE store_id = ${storeId}::uuid) AS settled,
      (SELECT last_seq FROM stores WHERE store_id = ${storeId}::uuid) AS last_seq,
      (SELECT last_contact_at FROM stores WHERE store_id = ${storeId}::uuid) AS contact`;
  return h!;
}

const deadLetterOf = async (storeId: string, seq: number) =>
  (await hq.sql<{ id: number; reason: string }[]>`SELECT id, reason FROM dead_letters WHERE store_id = ${storeId}::uuid AND seq = ${seq}`)[0];

const auditOf = async (subjectId: number) => [
  ...(await hq.sql<{ who: string; action: string; before: unknown; after: unknown }[]>`
    SELECT who, action, before, after FROM hq_audit WHERE subject LIKE ${`dead letter ${subjectId} %`} ORDER BY id`),
];

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${apiToken}`, Host: "hq.test" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return hq.app.request(`${ORIGIN}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe("a return head office did not know yet, replayed after the upgrade", () => {
  let storeId: string;
  let id: number;
  let list: BatchItem[];

  beforeAll(async () => {
    storeId = (await addStore(hq.sql, "Harbour Street")).storeId;
    const sale = saleDoc(1);
    list = [item(1, sale), returned(2, returnDoc(sale, 1)), item(3, saleDoc(3))];
    expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", list.slice(0, 1)))).status).toBe(200);
    await sentToAnOldHeadOffice(storeId, list[1]!);
    expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", list.slice(2)))).status).toBe(200);
    id = (await deadLetterOf(storeId, 2))!.id;
  });

  test("is listed and explained to everyone signed in, and the overview's count leads there", async () => {
    const overview = await (await viewer.request("GET", "/")).text();
    expect(overview).toContain('href="/dead-letters"');
    const { res, html } = await viewer.page(`/dead-letters?store=${storeId}`);
    expect(res.status).toBe(200);
    expect(html).toContain(`data-id="${id}"`);
    expect(html).toContain("the store runs a newer ShopFlow than head office");
    const one = await viewer.page(`/dead-letters/${id}`);
    expect(one.html).toContain("Upgrade head office to the store&#39;s version, then replay");
    expect(one.html).toContain("&quot;return_number&quot;: &quot;R002-000001&quot;"); // pretty-printed, escaped
    expect(one.html).not.toContain('data-testid="replay"'); // a viewer reads only
  });

  test("a viewer cannot replay or discard it, and nothing changes", async () => {
    const before = await holdings(storeId);
    for (const path of [`/dead-letters/${id}/replay`, `/dead-letters/${id}/discard`]) {
      const res = await viewer.request("POST", path, { form: { reason: "not mine to say" } });
      expect([res.status, await errorCode(res)]).toEqual([403, "forbidden"]);
    }
    expect(await holdings(storeId)).toEqual(before);
    expect(await auditOf(id)).toEqual([]);
  });

  test("an admin's replay lands it exactly once; the store's position at head office is as it was", async () => {
    const before = await holdings(storeId);
    expect(before).toMatchObject({ returns: 0, sales: 2, open: 1, settled: 0, last_seq: 3 });
    await admin.page(`/dead-letters/${id}`);
    const res = await admin.request("POST", `/dead-letters/${id}/replay`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toStartWith(`/dead-letters/${id}?said=`);
    expect(await holdings(storeId)).toEqual({ ...before, returns: 1, open: 0, settled: 1 });

    const [r] = await hq.sql`SELECT seq, return_id::text, content_hash FROM hq_returns WHERE store_id = ${storeId}::uuid`;
    expect(r).toEqual({ seq: 2, return_id: JSON.parse(list[1]!.payload).id, content_hash: list[1]!.hash });
    const [ledger] = await hq.sql`SELECT status FROM outbox_items WHERE store_id = ${storeId}::uuid AND seq = 2`;
    expect(ledger).toEqual({ status: "merged" });
    expect(await auditOf(id)).toEqual([
      {
        who: "Ana",
        action: "dead_letter.replayed",
        before: { status: "open", reason: 'unknown kind "return"' },
        after: { status: "replayed", landed: "merged" },
      },
    ]);
    const page = await admin.page(res.headers.get("Location")!);
    expect(page.html).toContain("the item landed at head office, once");
    expect(page.html).toMatch(/replayed<\/span>.*by Ana at/s);
  });

  test("replayed twice, sent again by the store, or followed by a later batch: nothing twice", async () => {
    const before = await holdings(storeId);
    const again = await admin.request("POST", `/dead-letters/${id}/replay`);
    expect([again.status, await errorCode(again)]).toEqual([409, "dead_letter_settled"]);
    const byApi = await api("POST", `/dead-letters/${id}/replay`);
    expect([byApi.status, await errorCode(byApi)]).toEqual([409, "dead_letter_settled"]);
    // the store, not knowing, sends everything again: a replay of acknowledged items
    expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", list))).status).toBe(200);
    expect(await holdings(storeId)).toEqual({ ...before, contact: expect.any(Date) }); // heard from, nothing added
    const next = await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(4, saleDoc(4))]));
    expect(next).toMatchObject({ status: 200, body: { acked_through: 4 } });
    expect(await holdings(storeId)).toMatchObject({ returns: 1, sales: 3, open: 0, last_seq: 4 });
    expect((await auditOf(id)).length).toBe(1);
  });
});

test("a dead letter whose document head office meanwhile merged by another way is replayed as a duplicate: no second copy", async () => {
  const storeId = (await addStore(hq.sql, "Quay Side")).storeId;
  const sale = saleDoc(1);
  const ret = returnDoc(sale, 1);
  expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, sale)]))).status).toBe(200);
  await sentToAnOldHeadOffice(storeId, returned(2, ret));
  // after the upgrade the store sends the same return again under a later sequence number: merged there
  expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [returned(3, ret)]))).status).toBe(200);
  expect(await holdings(storeId)).toMatchObject({ returns: 1, open: 1 });
  const id = (await deadLetterOf(storeId, 2))!.id;

  const res = await api("POST", `/dead-letters/${id}/replay`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id, status: "replayed", landed: "duplicate" });
  expect(await holdings(storeId)).toMatchObject({ returns: 1, open: 0, settled: 1, last_seq: 3 });
  const ledger = await hq.sql`SELECT seq, status FROM outbox_items WHERE store_id = ${storeId}::uuid ORDER BY seq`;
  expect([...ledger]).toEqual([
    { seq: 1, status: "merged" },
    { seq: 2, status: "duplicate" },
    { seq: 3, status: "merged" },
  ]);
});

describe("through the API", () => {
  test("a replay refused again updates the reason; a discard needs one; both audited under the token", async () => {
    const storeId = (await addStore(hq.sql, "Canal Road")).storeId;
    const sale = saleDoc(1);
    const wrong = { ...returnDoc(sale, 1), total: 1 }; // its lines refund more than its total
    await sentToAnOldHeadOffice(storeId, returned(1, wrong));
    const id = (await deadLetterOf(storeId, 1))!.id;

    const listed = await api("GET", `/dead-letters?store=${storeId}`);
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { dead_letters: { id: number; kind: string; status: string; explanation: { meaning: string } }[] };
    expect(body.dead_letters.map((d) => [d.id, d.kind, d.status])).toEqual([[id, "return", "open"]]);
    expect(body.dead_letters[0]!.explanation.meaning).toContain("newer ShopFlow");

    const replay = await api("POST", `/dead-letters/${id}/replay`);
    expect([replay.status, await errorCode(replay)]).toEqual([409, "replay_refused"]);
    expect(await deadLetterOf(storeId, 1)).toEqual({ id, reason: "total is not the sum of the lines' refunds" });
    expect((await holdings(storeId)).returns).toBe(0);
    // the page says the same, as the refusal it is, with the reason now on record
    await admin.page(`/dead-letters/${id}`);
    const onPage = await admin.request("POST", `/dead-letters/${id}/replay`);
    expect([onPage.status, await errorCode(onPage)]).toEqual([409, "replay_refused"]);
    expect(await onPage.text()).toContain("refused again: total is not the sum of the lines&#39; refunds");

    for (const bad of [{}, { reason: "  " }, { reason: "ok" }]) {
      const res = await api("POST", `/dead-letters/${id}/discard`, bad);
      expect([res.status, await errorCode(res)]).toEqual([422, "reason_required"]);
    }
    expect((await holdings(storeId)).open).toBe(1);
    const discard = await api("POST", `/dead-letters/${id}/discard`, { reason: "Till 2's software fault, ticket 4711" });
    expect(discard.status).toBe(200);
    expect(await holdings(storeId)).toMatchObject({ open: 0, settled: 1, returns: 0 });
    const discarded = (await (await api("GET", `/dead-letters?store=${storeId}&status=discarded`)).json()) as { dead_letters: { note: string }[] };
    expect(discarded.dead_letters.map((d) => d.note)).toEqual(["Till 2's software fault, ticket 4711"]);
    expect((await auditOf(id)).map((a) => [a.who, a.action])).toEqual([
      [expect.stringContaining('API token "ops-script"'), "dead_letter.replay_refused"],
      ["Ana", "dead_letter.replay_refused"],
      [expect.stringContaining('API token "ops-script"'), "dead_letter.discarded"],
    ]);
  });
});

describe("a dead letter kept without its whole item", () => {
  test("shows no card number, says why it cannot be replayed, and is discarded only with a reason", async () => {
    const storeId = (await addStore(hq.sql, "Mill Lane")).storeId;
    const sale = saleDoc(1);
    sale.lines[0]!.name = "card 4111 1111 1111 1111";
    expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, sale)]))).status).toBe(200);
    const id = (await deadLetterOf(storeId, 1))!.id;

    const { html } = await admin.page(`/dead-letters/${id}`);
    expect(html).not.toContain("4111 1111 1111 1111");
    expect(html).toContain("[card ****1111]");
    expect(html).toContain('data-testid="cannot-replay"');
    const before = await holdings(storeId);
    const res = await admin.request("POST", `/dead-letters/${id}/replay`);
    expect([res.status, await errorCode(res)]).toEqual([409, "dead_letter_unreplayable"]);
    expect(await holdings(storeId)).toEqual(before);

    const empty = await admin.request("POST", `/dead-letters/${id}/discard`, { form: { reason: "" } });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Say why this dead letter is discarded");
    expect(await holdings(storeId)).toEqual(before);
    const done = await admin.request("POST", `/dead-letters/${id}/discard`, { form: { reason: "Cashier typed a card number as a name; told the store" } });
    expect(done.status).toBe(303);
    expect(await holdings(storeId)).toMatchObject({ open: 0, settled: 1, sales: 0 });
    expect((await auditOf(id)).map((a) => [a.who, a.action])).toEqual([["Ana", "dead_letter.discarded"]]);
  });
});
