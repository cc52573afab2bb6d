// The sale lives on the store server: a reloaded page or a restarted server finds it as it was, and a register that
// cannot reach the server says so and recovers by itself.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../helpers/browser.ts";
import { codes, signIn } from "../helpers/store.ts";
import {
  dialogClosed,
  eventually,
  lines,
  messageText,
  openTill,
  type RestartableServer,
  registerCookies,
  registerIdOf,
  rowCount,
  salesIn,
  scan,
  scanAndWait,
  startRestartableServer,
  type Till,
  textOf,
  waitForRegister,
} from "./support.ts";

let server: RestartableServer;
let browser: Browser;
const opened: Till[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startRestartableServer(), launchBrowser()]);
});

afterEach(async () => {
  for (const t of opened.splice(0)) await t.context.close();
  await server.up();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Requests that fail because the server is away on purpose: Chromium logs them and the watcher sees them. */
const unreachable = [
  /net::ERR_(FAILED|CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|INTERNET_DISCONNECTED|INCOMPLETE_CHUNKED_ENCODING)/,
  /htmx:error: Failed to fetch TypeError: Failed to fetch/, // htmx logs each request that could not be sent
  /htmx:sse:error: (network error|Failed to fetch)/, // the live channel, cut when the server goes and tried again
];

async function till(lane: number, allow: RegExp[] = []): Promise<Till> {
  const t = await openTill(browser, server.url, server.store(), lane, { allow });
  opened.push(t);
  return t;
}

const banner = (page: Page) => page.locator("#offline").isVisible();
const twoItems: [string, string, string][] = [
  ["Fresh Milk 1 L", "1", "€1.19"],
  ["Sourdough Bread 800 g", "1", "€3.49"],
];

describe("reload, restart, offline", () => {
  test("a reload in the middle of a sale shows the same sale; so does a restarted server", async () => {
    const { page, problems, cashier } = await till(1, unreachable);
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    const saleId = await page.locator("#lines").getAttribute("data-sale-id");

    await page.reload();
    await waitForRegister(page);
    expect(await lines(page)).toEqual(twoItems);
    expect(await textOf(page, "total-due")).toBe("€4.68");
    expect(await page.locator("#lines").getAttribute("data-sale-id")).toBe(saleId);
    expect(await textOf(page, "register-name")).toBe("Lane 1");

    // the server process goes away and comes back over the same data directory
    await server.down();
    await server.up();
    await page.reload();
    await waitForRegister(page);
    expect(await lines(page)).toEqual(twoItems);
    expect(await page.locator("#lines").getAttribute("data-sale-id")).toBe(saleId);
    // the pairing, the sign-in and the shift live in the store database too: no one signs in again after a restart
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await textOf(page, "cashier-name")).toBe(cashier.userName);

    // and the sale carries on where it was
    await scanAndWait(page, codes.paper, 3);
    await page.getByTestId("cash-payment").click();
    await page.getByTestId("cash-received").fill("10");
    await page.getByTestId("complete-sale").click();
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€2.82");
    const sale = salesIn(server.store()).find((s) => s.id === saleId)!;
    expect([sale.status, sale.total, sale.register_id]).toEqual(["completed", 718, registerIdOf(server.store(), 1)]);
    expect(problems()).toEqual([]);
  });

  test("requests that fail show the offline banner, which goes away by itself once they succeed", async () => {
    const { page, problems } = await till(2, unreachable);
    await scanAndWait(page, codes.milk, 1);
    expect(await banner(page)).toBe(false);
    expect(await textOf(page, "connection")).toBe("Connected");

    // the LAN drops: every request from this page fails
    await page.route("**/*", (route) => route.abort("failed"));
    await scan(page, codes.bread);
    await eventually(() => banner(page), true, "offline banner after a failed scan");
    expect(await page.locator("#offline").innerText()).toContain("The store server cannot be reached");
    expect(await textOf(page, "connection")).toBe("Not connected");
    expect(await rowCount(page)).toBe(1);
    // the scan that did not get through is kept, in sight; the next one waits behind it
    await eventually(() => textOf(page, "kept-scans"), `Kept 1 scan to add when the server is back: ${codes.bread}`, "kept scans after the failed scan");
    await scan(page, codes.paper);
    await eventually(
      () => textOf(page, "kept-scans"),
      `Kept 2 scans to add when the server is back: ${codes.bread}, ${codes.paper}`,
      "kept scans after a second scan while away",
    );
    expect(await page.getByTestId("barcode-input").inputValue()).toBe("");

    // the LAN is back: no click, no reload; the kept scans go in, in the order they were made
    await page.unroute("**/*");
    await eventually(() => banner(page), false, "offline banner after requests succeed again", 8000);
    expect(await textOf(page, "connection")).toBe("Connected");
    await eventually(() => lines(page), [...twoItems, ["Daily Newspaper", "1", "€2.50"]], "the sale with the kept scans added");
    expect(await page.getByTestId("kept-scans").isHidden()).toBe(true);
    expect(await messageText(page)).toBe("");
    expect(problems()).toEqual([]);
  });

  test("a stopped server shows the offline banner; when it is started again the banner goes and the sale is there", async () => {
    const { page, problems } = await till(3, unreachable);
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);

    await server.down();
    await page.getByTestId("quick-key").first().click();
    await eventually(() => banner(page), true, "offline banner with the server stopped");
    expect(await textOf(page, "connection")).toBe("Not connected");
    expect(await lines(page)).toEqual(twoItems);

    await server.up();
    await eventually(() => banner(page), false, "offline banner after the server is back", 8000);
    expect(await textOf(page, "connection")).toBe("Connected");
    expect(await lines(page)).toEqual(twoItems);
    expect(await textOf(page, "total-due")).toBe("€4.68");
    // selling goes on without a reload
    await scanAndWait(page, codes.paper, 3);
    expect(await textOf(page, "total-due")).toBe("€7.18");
    await page.getByTestId("cash-payment").click();
    await page.getByTestId("complete-sale").click();
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    await page.getByTestId("next-sale").click();
    await eventually(() => dialogClosed(page), true, "receipt closed");
    const done = salesIn(server.store()).filter((s) => s.register_id === registerIdOf(server.store(), 3));
    expect(done.map((s) => [s.status, s.total])).toEqual([["completed", 718]]);
    expect(problems()).toEqual([]);
  });

  test("a scan that reached the server but whose answer was lost is added once, not again when it is sent again", async () => {
    const { page, problems } = await till(4, unreachable);
    await scanAndWait(page, codes.milk, 1);
    // the LAN drops just after the scan got through: the server adds the bread, its answer never comes back
    let dropped = 0;
    await page.route("**/register/scan", async (route) => {
      await route.fetch();
      dropped++;
      await route.abort("failed");
    });
    await scan(page, codes.bread);
    await eventually(() => banner(page), true, "offline banner after the lost answer");
    expect(dropped).toBe(1);
    await eventually(() => textOf(page, "kept-scans"), `Kept 1 scan to add when the server is back: ${codes.bread}`, "the scan kept");
    await page.unroute("**/register/scan");
    await eventually(() => banner(page), false, "banner gone", 8000);
    await eventually(() => lines(page), twoItems, "one bread, not two");
    expect(problems()).toEqual([]);
  });

  test("scans kept for one cashier are never put on another cashier's sale", async () => {
    const first = await till(5, unreachable);
    await scanAndWait(first.page, codes.milk, 1);
    await first.page.route("**/*", (route) => route.abort("failed"));
    await scan(first.page, codes.wine);
    await eventually(() => textOf(first.page, "kept-scans"), `Kept 1 scan to add when the server is back: ${codes.wine}`, "the wine kept");
    await first.page.unroute("**/*");
    // another cashier signs in on this browser tab before the page reconnects
    const other = await signIn(server.store(), 5);
    await first.context.clearCookies();
    await first.context.addCookies(registerCookies(server.url, other));
    await first.page.reload();
    await waitForRegister(first.page);
    await eventually(
      () => messageText(first.page),
      `Scanned while the server was away and not added — ${codes.wine}: scanned by another cashier or on another register, so not added here`,
      "the other cashier's scan named, not added",
    );
    expect(await lines(first.page)).toEqual([["Fresh Milk 1 L", "1", "€1.19"]]);
    expect(first.problems().filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  });
});
