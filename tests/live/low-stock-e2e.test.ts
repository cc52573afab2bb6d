// The live channel in real Chromium: a manager's back-office page sees a low-stock alert arrive (the toast and the
// badge's count) when a register in another browser sells a product down to its reorder point, without reloading;
// and a register's printer pill follows the printer (paper out, paper back) over the same channel, without polling.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { VIRTUAL_PRINTER } from "../../src/hardware/printers/registry.ts";
import { eventually, openTill, scanAndWait, signedInContext, textOf } from "../e2e/support.ts";
import { launchBrowser, startTestServer, type TestServer, watchPage } from "../helpers/browser.ts";
import { type FakePrinter, startFakePrinter } from "../helpers/fake-printer.ts";
import { codes, signIn } from "../helpers/store.ts";

let server: TestServer;
let browser: Browser;
let fake: FakePrinter | null = null;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startTestServer({
      // wine: 5 on hand, reorder at 4
      setup: (t) => t.store.db.exec("UPDATE products SET reorder_point = 4000, reorder_level = 12000 WHERE sku = 'WINE-RED'"),
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.store.store.printing.worker.stop();
  fake?.stop();
  await server?.stop();
});

/** The page's live channel is open (static/live.js marks it once htmx's SSE extension has connected). */
const liveUp = (page: Page) => page.waitForSelector("#live[data-live=up]", { state: "attached", timeout: 10_000 });

/** Requests the page made to `path`, counted from now. */
function requestsTo(page: Page, path: string): () => number {
  let n = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === path) n++;
  });
  return () => n;
}

describe("live in the browser", () => {
  test("a manager's back office sees the low-stock alert and the badge change when a register sells the wine down", async () => {
    const store = server.store.store;
    const manager = await signIn(store, 8, { role: "manager", shift: false, name: "Mona Manager" });
    const office = await signedInContext(browser, server.url, manager);
    const a = await office.newPage();
    const officeProblems = watchPage(a);
    await a.goto(`${server.url}/stock/low`);
    await liveUp(a);
    expect(await textOf(a, "low-stock-count")).toBe("0");
    expect(await a.getByTestId("low-stock-toast").count()).toBe(0);
    // a page that reloaded would lose this
    await a.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    const b = await openTill(browser, server.url, store, 1);
    await scanAndWait(b.page, codes.wine, 1);
    await b.page.getByTestId("cash-payment").click();
    await b.page.getByTestId("complete-sale").click();
    await b.page.getByTestId("receipt-modal").waitFor({ state: "visible" });

    await eventually(() => a.getByTestId("low-stock-toast").count(), 1, "toasts on the manager's page");
    expect((await a.getByTestId("low-stock-toast").innerText()).replace(/\s+/g, " ")).toContain("Rioja Crianza 0.75 L is low: 4 left, reorder point 4");
    expect(await textOf(a, "low-stock-count")).toBe("1");
    expect(await a.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await a.getByTestId("low-stock-badge").getAttribute("href")).toBe("/stock/low");

    // dismissed, it goes
    await a.getByTestId("low-stock-toast").getByRole("button", { name: "Dismiss" }).click();
    expect(await a.getByTestId("low-stock-toast").count()).toBe(0);
    expect(officeProblems()).toEqual([]);
    expect(b.problems()).toEqual([]);
    await b.context.close();
    await office.close();
  });

  test("the register's printer pill follows the printer over the live channel: paper out, then paper back, no polling", async () => {
    const t = server.store;
    const store = t.store;
    fake = startFakePrinter();
    store.printing.printers.add(
      { ...VIRTUAL_PRINTER, name: "Front", kind: "network", host: fake.host, port: fake.port, isDefault: true },
      t.clock.now().toISOString(),
    );
    const b = await openTill(browser, server.url, store, 2);
    const polls = requestsTo(b.page, "/register/printer-status");
    await liveUp(b.page);
    expect(await textOf(b.page, "printer-status")).toBe("Front: Not checked yet");

    fake.setState({ paper: "out" });
    await store.printing.worker.tick(); // the worker asks the printer how it is (every 10 s when the store runs)
    await eventually(() => textOf(b.page, "printer-status"), "Front: Paper out", "the pill after the paper ran out");
    expect(await b.page.getByTestId("printer-status").getAttribute("class")).toContain("bad");

    fake.setState({ paper: "ok" });
    t.clock.advance(11_000);
    await store.printing.worker.tick();
    await eventually(() => textOf(b.page, "printer-status"), "Front: Ready", "the pill with paper back in");
    expect(polls()).toBe(0);
    expect(b.problems()).toEqual([]);
    await b.context.close();
  });
});
