// A head-office manager in a real browser: from the overview's dead-letter count to the list, opens a store's dead
// letter (a return sent before head office knew returns), reads why, replays it, and sees it landed — under the strict
// CSP, with no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { deadLetterBody, keptLabel } from "../../src/sync/hq/ingest/dead-letter.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { payloadHash } from "../../src/sync/hq/ingest/sale-item.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type HqInBrowser, startHqInBrowser } from "./hq-browser-support.ts";
import { batch, item, returnDoc, saleDoc } from "./support.ts";

let at: HqInBrowser;
let storeId: string;

beforeAll(async () => {
  at = await startHqInBrowser({
    person: { name: "Maria", role: "admin" },
    setup: async (hq) => {
      storeId = (await addStore(hq.sql, "Harbour Street")).storeId;
      const sale = saleDoc(1);
      expect((await receiveBatch(hq.sql, storeId, batch(storeId, "E1", [item(1, sale)]))).status).toBe(200);
      // what a head office from before returns made of the store's first return (as in dead-letters.test.ts)
      const it = item(2, returnDoc(sale, 1), "return");
      const hash = payloadHash(it.payload);
      const refused = { ref: keptLabel(it.ref), seq: 2, body: deadLetterBody(it, hash), hash, kind: "return", reason: 'unknown kind "return"' };
      await hq.sql`SELECT hq_receive_batch(${storeId}::uuid, 'E1', 2, 2, ${JSON.stringify([refused])}::text::jsonb, ''::text, '{}'::jsonb)`;
    },
  });
}, 60_000);

afterAll(() => at?.close());

test("a manager finds the store's dead letter from the overview, reads why, replays it, and it lands once", async () => {
  const { hq, url } = at;
  const { context, page, problems } = await at.open();
  try {
    await at.signIn(page, "/");
    expect(await page.getByTestId("dead-letters").innerText()).toBe("1");

    await page.getByTestId("dead-letters-link").click();
    await page.waitForURL(`${url}/dead-letters`);
    await page.getByTestId("dead-letters-store").selectOption({ label: "Harbour Street" });
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(`${url}/dead-letters?store=${storeId}&status=open`);
    const row = page.getByTestId("dead-letter-row");
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain("return");

    await row.getByTestId("dead-letter-open").click();
    await page.waitForURL(/\/dead-letters\/\d+$/);
    expect(await page.getByTestId("dead-letter-meaning").innerText()).toContain("newer ShopFlow than head office");
    expect(await page.getByTestId("dead-letter-reason").innerText()).toBe('unknown kind "return"');
    expect(await page.getByTestId("dead-letter-payload").innerText()).toContain('"return_number": "R002-000001"');

    await page.getByTestId("replay").click();
    await page.waitForURL(/\/dead-letters\/\d+\?said=/);
    expect(await page.getByTestId("page-message").innerText()).toContain("landed at head office, once");
    expect(await page.getByTestId("dead-letter-status").innerText()).toBe("replayed");
    expect(await page.getByTestId("replay").count()).toBe(0);

    const [held] = await hq.sql<{ returns: number; open: number }[]>`
      SELECT (SELECT count(*) FROM hq_returns WHERE store_id = ${storeId}::uuid) AS returns,
        (SELECT count(*) FROM dead_letters WHERE store_id = ${storeId}::uuid) AS open`;
    expect(held).toEqual({ returns: 1, open: 0 });

    await page.goto(`${url}/`);
    expect(await page.getByTestId("dead-letters").innerText()).toBe("0");
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});
