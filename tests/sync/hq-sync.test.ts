// Head office's sync endpoint over HTTP, as a store (or something pretending to be one) meets it: what it must send,
// what becomes a dead letter rather than a batch retried forever, and when "come back later" is the true answer.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { looksLikeCardNumber } from "../../src/domain/kernel/card-data.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { errorCode, type Hq, startHq } from "./hq-support.ts";
import { item, saleDoc, sha256 } from "./support.ts";

let hq: Hq;

beforeAll(async () => {
  hq = await startHq();
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

/** POST a batch's JSON text as a store does; `type` is the Content-Type (null sends none). */
function send(token: string, body: string, type: string | null = "application/json"): Promise<Response> {
  return Promise.resolve(
    hq.app.request("/sync/v1/batches", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, ...(type === null ? {} : { "Content-Type": type }) },
      body,
    }),
  );
}

/** The batch envelope as JSON text around items given as JSON texts, so an item can be anything JSON can spell. */
const envelope = (storeId: string, itemTexts: string[], from = 1) =>
  `{"store_id":"${storeId}","epoch":"E1","from_seq":${from},"to_seq":${from + itemTexts.length - 1},"items":[${itemTexts.join(",")}]}`;

async function held(storeId: string) {
  const [r] = await hq.sql<{ ledger: number; sales: number; dead: number; last_seq: number }[]>`
    SELECT (SELECT count(*) FROM outbox_items WHERE store_id = ${storeId}::uuid) AS ledger,
      (SELECT count(*) FROM sales WHERE store_id = ${storeId}::uuid) AS sales,
      (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}::uuid) AS dead,
      (SELECT last_seq FROM stores WHERE store_id = ${storeId}::uuid) AS last_seq`;
  return r!;
}

describe("what a store must send", () => {
  test("a batch that is not sent as application/json is refused with 415 unsupported_media_type, and nothing is written", async () => {
    const { storeId, token } = await addStore(hq.sql, "Store 415");
    const body = JSON.stringify({ store_id: storeId, epoch: "E1", from_seq: 1, to_seq: 1, items: [item(1, saleDoc(1))] });
    for (const type of [null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
      const res = await send(token, body, type);
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe("unsupported_media_type");
      expect(answer.error.message).toContain("application/json");
    }
    expect(await held(storeId)).toEqual({ ledger: 0, sales: 0, dead: 0, last_seq: 0 });
    // with the right type, charset or not, the same batch is merged
    const ok = await send(token, body, "application/json; charset=utf-8");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ acked_through: 1, epoch: "E1" });
  });
});

describe("items nobody can merge are dead letters, not a batch retried forever", () => {
  test("an item whose ref or kind is nested 100,000 deep is a dead letter; the batch is acknowledged, never 503", async () => {
    const { storeId, token } = await addStore(hq.sql, "Store deep");
    const deep = 100_000;
    const nestedObject = `${'{"a":'.repeat(deep)}1${"}".repeat(deep)}`;
    const nestedArray = `${"[".repeat(deep)}${"]".repeat(deep)}`;
    const good = (seq: number) => JSON.stringify(item(seq, saleDoc(seq)));
    const payload = JSON.stringify(saleDoc(9));
    const texts = [
      good(1),
      `{"seq":2,"kind":"sale","ref":${nestedObject},"hash":"${sha256(payload)}","payload":${JSON.stringify(payload)}}`,
      `{"seq":3,"kind":${nestedArray},"ref":"x","hash":"h","payload":"{}"}`,
      `{"seq":4,"kind":"sale","ref":"x","hash":"h","payload":${nestedObject}}`,
      good(5),
    ];
    const res = await send(token, envelope(storeId, texts));
    expect(res.headers.get("Retry-After")).toBeNull();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ acked_through: 5, epoch: "E1" });
    expect(await held(storeId)).toEqual({ ledger: 5, sales: 2, dead: 3, last_seq: 5 });
    const dead = await hq.sql<{ seq: number; reason: string; kind: string; size: number }[]>`
      SELECT seq, reason, kind, octet_length(body::text) AS size FROM dead_letters WHERE store_id = ${storeId}::uuid ORDER BY seq`;
    expect(dead.map((d) => [d.seq, d.reason])).toEqual([
      [2, "ref does not match the sale id in the payload"],
      [3, expect.stringMatching(/^unknown kind \[\[\[/)],
      [4, "payload must be the JSON text of the document"],
    ]);
    // what is kept of each is bounded, however large the item was
    for (const d of dead) expect(d.size).toBeLessThanOrEqual(2 * 64 * 1024 + 1024);
    // and sent again, the same batch gets the same answer and adds nothing
    const again = await send(token, envelope(storeId, texts));
    expect(again.status).toBe(200);
    expect(await held(storeId)).toEqual({ ledger: 5, sales: 2, dead: 3, last_seq: 5 });
    // an envelope nested that deep is the batch's own fault: 422 with a sentence, nothing written
    const badEnvelope = envelope(storeId, [good(6)], 6).replace('"epoch":"E1"', `"epoch":${nestedArray}`);
    const refused = await send(token, badEnvelope);
    expect(refused.status).toBe(422);
    expect(await errorCode(refused)).toBe("invalid_batch");
    expect(await held(storeId)).toEqual({ ledger: 5, sales: 2, dead: 3, last_seq: 5 });
  });

  test("a card number anywhere in what a store sends is never kept, not even in a dead letter or the ledger", async () => {
    const { storeId, token } = await addStore(hq.sql, "Store card");
    const card = "4111 1111 1111 1111";
    const doc = saleDoc(2);
    (doc.payments[0] as { auth_code?: string }).auth_code = card.replaceAll(" ", ".");
    const texts = [
      JSON.stringify(item(1, doc)),
      JSON.stringify({ ...item(2, saleDoc(3)), kind: card }),
      JSON.stringify({ ...item(3, saleDoc(5)), ref: { pan: card } }),
    ];
    const res = await send(token, envelope(storeId, texts));
    expect(res.status).toBe(200);
    expect(await held(storeId)).toEqual({ ledger: 3, sales: 0, dead: 3, last_seq: 3 });
    const texts2 = await hq.sql<{ t: string }[]>`
      SELECT body::text || reason || kind AS t FROM dead_letters WHERE store_id = ${storeId}::uuid
      UNION ALL SELECT kind || ref FROM outbox_items WHERE store_id = ${storeId}::uuid`;
    expect(texts2.length).toBe(6);
    // content hashes and uuids can pass the Luhn check by chance: left out
    const cardIn = (t: string) =>
      looksLikeCardNumber(t.replace(/[0-9a-f]{64}/gi, "").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ""));
    expect(texts2.map((r) => r.t).filter(cardIn)).toEqual([]);
    const [reason] = await hq.sql<{ reason: string }[]>`SELECT reason FROM dead_letters WHERE store_id = ${storeId}::uuid AND seq = 1`;
    expect(reason!.reason).toContain("payments[0].auth_code");
    expect(reason!.reason).toContain("card number");
  });
});

describe("when head office says to come back later", () => {
  test("only a database that is away answers 503 with Retry-After; any other failure is a 500 without it, and is logged", async () => {
    const { storeId, token } = await addStore(hq.sql, "Store down");
    const body = (seq: number) => JSON.stringify({ store_id: storeId, epoch: "E1", from_seq: seq, to_seq: seq, items: [item(seq, saleDoc(seq))] });
    const logged = spyOn(console, "error").mockImplementation(() => {});
    try {
      // a failure that waiting will not mend (here: head office's merge function is missing)
      await hq.sql`ALTER FUNCTION hq_receive_batch RENAME TO hq_receive_batch_away`;
      try {
        const broken = await send(token, body(1));
        expect(broken.status).toBe(500);
        expect(broken.headers.get("Retry-After")).toBeNull();
        expect(await errorCode(broken)).toBe("internal");
      } finally {
        await hq.sql`ALTER FUNCTION hq_receive_batch_away RENAME TO hq_receive_batch`;
      }
      expect(logged.mock.calls.map((c) => String(c[0])).join("\n")).toContain("hq_receive_batch");

      // the database away: come back later
      await hq.pg.kill();
      try {
        const away = await send(token, body(1));
        expect(away.status).toBe(503);
        expect(away.headers.get("Retry-After")).toBe("5");
        expect(await errorCode(away)).toBe("hq_unavailable");
      } finally {
        await hq.pg.start();
      }
    } finally {
      logged.mockRestore();
    }
    // and once it is back, the batch goes through
    let res: Response | null = null;
    for (let i = 0; i < 50; i++) {
      res = await send(token, body(1));
      if (res.status !== 503) break;
      await Bun.sleep(100);
    }
    expect(res!.status).toBe(200);
    expect(await held(storeId)).toEqual({ ledger: 1, sales: 1, dead: 0, last_seq: 1 });
  });
});
