// The reconciliation page never says "match" or "no difference" where head office cannot know: a day without the
// store's own total says "no store total yet", and a store whose batches head office refuses says "cannot compare" with
// the reason. Batches over the real sync endpoint, the page as a person reads it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type Hq, signedIn, startHq, type Visitor } from "./hq-support.ts";
import { batch, type Doc, dayTotals as dayTotalsOf, item, saleDoc } from "./support.ts";

let hq: Hq;
let viewer: Visitor;
beforeAll(async () => {
  hq = await startHq();
  viewer = await signedIn(hq, "Rosa", "viewer");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const DAY = "2026-11-25";

/** The store's report of the day, with no returns in it. */
const dayTotals = (seq: number, sales: Doc[]) => dayTotalsOf(seq, sales, DAY, []);

function post(token: string, body: unknown): Promise<Response> {
  return Promise.resolve(
    hq.app.request("/sync/v1/batches", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/** The row of a store on the page, and the page. */
async function rowOf(storeId: string): Promise<{ status: string | undefined; row: string; html: string }> {
  const { html } = await viewer.page(`/reconciliation?from=${DAY}&to=${DAY}`);
  const m = new RegExp(`<tr data-status="(\\w+)" data-store-id="${storeId}">([\\s\\S]*?)</tr>`).exec(html);
  return { status: m?.[1], row: m?.[2] ?? "", html };
}

test("a day without the store's total says 'no store total yet', and the page does not say 'no difference' of it", async () => {
  const { storeId, token } = await addStore(hq.sql, "Lübeck");
  expect((await post(token, batch(storeId, "E1", [item(1, saleDoc(1))]))).status).toBe(200);
  const { status, row, html } = await rowOf(storeId);
  expect(status).toBe("not_reported");
  expect(row).toContain("no store total yet");
  expect(html).not.toContain("no difference");
  expect(html).toContain("1 day not compared");
});

test("a store whose batches head office refuses: 'cannot compare' with the reason, never 'match'", async () => {
  const { storeId, token } = await addStore(hq.sql, "Mainz");
  const docs = [1, 2].map((n) => saleDoc(n));
  expect((await post(token, batch(storeId, "E1", [item(1, docs[0]), item(2, docs[1]), dayTotals(3, docs)]))).status).toBe(200);
  expect((await rowOf(storeId)).status).toBe("match");

  // the store's next batches are refused (here: a batch head office cannot read): what it sells now cannot arrive
  expect((await post(token, { store_id: storeId, epoch: "E1", from_seq: 4, to_seq: 4, items: "not a list" })).status).toBe(422);
  const { status, row } = await rowOf(storeId);
  expect(status).toBe("unknown");
  expect(row).toContain("cannot compare");
  expect(row).toContain("head office refuses this store&#39;s batches since");
  expect(row).toContain("items must be an array");

  // a batch taken again: compared again
  expect((await post(token, batch(storeId, "E1", [dayTotals(4, docs)], 4))).status).toBe(200);
  expect((await rowOf(storeId)).status).toBe("match");
});
