// A head-office manager in a real browser finds yesterday's worst store from the overview (the date picker, worst day
// first), opens it, reads its dead letter and replays it — under the strict CSP, with no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { formatMoney } from "../../src/domain/kernel/money.ts";
import { deadLetterBody, keptLabel } from "../../src/sync/hq/ingest/dead-letter.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { payloadHash } from "../../src/sync/hq/ingest/sale-item.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type HqInBrowser, startHqInBrowser } from "./hq-browser-support.ts";
import type { Hq } from "./hq-support.ts";
import { batch, item, returnDoc, saleDoc } from "./support.ts";

const TODAY = "2026-11-25";
const YESTERDAY = "2026-11-24";

let at: HqInBrowser;
let harbour: string;
let harbourNet: number;

/** Market Square sold well yesterday; Harbour Street sold one small sale, and its return was set aside. */
async function twoStores(hq: Hq): Promise<void> {
  hq.clock.current = new Date(`${TODAY}T09:00:00.000Z`);
  const market = (await addStore(hq.sql, "Market Square")).storeId;
  const big = [saleDoc(1, { day: YESTERDAY, lines: 9 }), saleDoc(2, { day: YESTERDAY, lines: 9 }), saleDoc(3, { day: TODAY, lines: 1 })];
  expect(
    (
      await receiveBatch(
        hq.sql,
        market,
        batch(
          market,
          "E1",
          big.map((s, i) => item(i + 1, s)),
        ),
      )
    ).status,
  ).toBe(200);
  harbour = (await addStore(hq.sql, "Harbour Street")).storeId;
  const small = saleDoc(4, { day: YESTERDAY, lines: 1 });
  harbourNet = small.total;
  expect((await receiveBatch(hq.sql, harbour, batch(harbour, "E1", [item(1, small), item(2, saleDoc(5, { day: TODAY, lines: 9 }))]))).status).toBe(200);
  // what a head office from before returns made of the store's return (as in dead-letters-browser.test.ts)
  const it = item(3, returnDoc(small, 1, { day: YESTERDAY }), "return");
  const hash = payloadHash(it.payload);
  const refused = { ref: keptLabel(it.ref), seq: 3, body: deadLetterBody(it, hash), hash, kind: "return", reason: 'unknown kind "return"' };
  await hq.sql`SELECT hq_receive_batch(${harbour}::uuid, 'E1', 3, 3, ${JSON.stringify([refused])}::text::jsonb, ''::text, '{}'::jsonb)`;
}

beforeAll(async () => {
  at = await startHqInBrowser({ person: { name: "Maria", role: "admin" }, setup: twoStores });
}, 60_000);

afterAll(() => at?.close());

test("a manager finds yesterday's worst store from the overview, opens it, reads its dead letter and replays it", async () => {
  const { hq, url } = at;
  const { context, page, problems } = await at.open();
  try {
    await at.signIn(page, "/");
    // today, by name: Harbour Street sold more today, so it is not the worst of today
    expect(await page.getByTestId("day-input").inputValue()).toBe(TODAY);
    expect(await page.getByTestId("attention-item").filter({ hasText: "Harbour Street" }).innerText()).toContain("1 item set aside");

    await page.getByTestId("day-input").fill(YESTERDAY);
    await page.getByTestId("sort-input").selectOption("worst");
    await page.getByTestId("day-show").click();
    await page.waitForURL(`${url}/?day=${YESTERDAY}&sort=worst`);
    const worst = page.getByTestId("stores").locator("tbody tr").first();
    expect(await worst.getByTestId("store-link").innerText()).toBe("Harbour Street");
    expect(await worst.getByTestId("net-today").innerText()).toBe(formatMoney(harbourNet, "EUR"));

    await worst.getByTestId("store-link").click();
    await page.waitForURL(`${url}/stores/${harbour}`);
    await page.locator(`a[href^="/dead-letters?store=${harbour}"]`).first().click();
    await page.waitForURL(new RegExp(`/dead-letters\\?store=${harbour}`));
    const row = page.getByTestId("dead-letter-row");
    expect(await row.count()).toBe(1);
    await row.getByTestId("dead-letter-open").click();
    await page.waitForURL(/\/dead-letters\/\d+$/);
    expect(await page.getByTestId("dead-letter-reason").innerText()).toBe('unknown kind "return"');
    expect(await page.getByTestId("dead-letter-meaning").innerText()).toContain("newer ShopFlow than head office");

    await page.getByTestId("replay").click();
    await page.waitForURL(/\/dead-letters\/\d+\?said=/);
    expect(await page.getByTestId("page-message").innerText()).toContain("landed at head office, once");

    // back on yesterday's overview: the refund is in the store's net and nothing waits any more
    await page.goto(`${url}/?day=${YESTERDAY}&sort=worst`);
    const [back] = await hq.sql<{ total: number }[]>`SELECT total_minor AS total FROM hq_returns WHERE store_id = ${harbour}::uuid`;
    const after = page.getByTestId("stores").locator(`tr[data-store-id="${harbour}"]`);
    expect(await after.getByTestId("net-today").innerText()).toBe(formatMoney(harbourNet - back!.total, "EUR"));
    expect(await page.getByTestId("dead-letters").innerText()).toBe("0");
    expect(await page.getByTestId("attention-item").filter({ hasText: "Harbour Street" }).count()).toBe(0);
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});
