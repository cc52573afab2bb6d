// A head-office manager in a real browser reads the reports: picks a period, reads the chain by store with its chart,
// drills down store → day → sale, opens the heatmap and downloads a table as CSV — under the strict CSP, no console error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { formatMoney } from "../../src/domain/kernel/money.ts";
import { receiveBatch } from "../../src/sync/hq/ingest/receiver.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { type HqInBrowser, startHqInBrowser } from "./hq-browser-support.ts";
import type { Hq } from "./hq-support.ts";
import { batch, type Doc, item, saleDoc } from "./support.ts";

let at: HqInBrowser;
let market: string;
const sold: Doc[] = [saleDoc(1, { day: "2026-11-24", lines: 3 }), saleDoc(2, { day: "2026-11-24", lines: 2 })];

async function oneStore(hq: Hq): Promise<void> {
  hq.clock.current = new Date("2026-11-25T09:00:00.000Z");
  market = (await addStore(hq.sql, "Market Square")).storeId;
  expect((await receiveBatch(hq.sql, market, batch(market, "E1", [item(1, sold[0]), item(2, sold[1])]))).status).toBe(200);
}

beforeAll(async () => {
  at = await startHqInBrowser({ person: { name: "Maria", role: "admin" }, setup: oneStore });
}, 60_000);

afterAll(() => at?.close());

test("a manager reads the chain by store, drills down to a sale, opens the heatmap and downloads the CSV", async () => {
  const { url } = at;
  const { context, page, problems } = await at.open();
  try {
    await at.signIn(page, "/reports");
    await page.getByRole("link", { name: "By store" }).click();
    await page.getByTestId("period").selectOption("custom");
    await page.getByTestId("from").fill("2026-11-01");
    await page.getByTestId("to").fill("2026-11-30");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/view=stores/);
    const row = page.locator(`[data-testid="report-row"][data-key="${market}"]`);
    expect(await row.locator("td").last().innerText()).toBe("new");
    expect(await row.innerText()).toContain(formatMoney(sold[0]!.total + sold[1]!.total, "EUR"));
    expect(await page.getByTestId("report-chart").locator("rect").count()).toBeGreaterThan(0);

    await row.getByRole("link").click();
    await page.waitForURL(/view=days/);
    await page.locator('[data-testid="report-row"][data-key="2026-11-24"]').getByRole("link").click();
    await page.waitForURL(/\/reports\/sales\?/);
    expect(await page.getByTestId("day-sale").count()).toBe(2);
    await page.getByTestId("day-sale").first().getByRole("link").click();
    await page.waitForURL(/\/reports\/sales\/[0-9a-f-]+\?/);
    expect(await page.getByTestId("sale-lines").locator("tbody tr").count()).toBe(3);

    await page.goto(`${url}/reports?view=hours&from=2026-11-01&to=2026-11-30`);
    // 08:00 UTC on a Tuesday: both sales
    expect(await page.locator('[data-cell="2-8"]').getAttribute("data-baskets")).toBe("2");

    await page.goto(`${url}/reports?view=products&from=2026-11-01&to=2026-11-30`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-csv").click()]);
    const csv = await (await download.createReadStream()).toArray();
    const lines = Buffer.concat(csv).toString("utf8").trim().split("\r\n");
    expect(lines.length - 1).toBe(await page.getByTestId("report-row").count());
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});
