// A page a person may not open, or that does not exist, in real Chromium at lane and tablet sizes: a whole page in the
// store's look, centred, saying why and what to do, with a way back that works; and the browser's own /favicon.ico.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, startTestServer, type TestServer, watchPage } from "../helpers/browser.ts";
import { desktop, openTill, type Till, tablet, waitForRegister } from "./support.ts";

let browser: Browser;
let shop: TestServer;
const tills: Till[] = [];

beforeAll(async () => {
  [browser, shop] = await Promise.all([launchBrowser(), startTestServer()]);
});
afterEach(async () => {
  for (const t of tills.splice(0)) await t.context.close();
});
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
});

/** Chromium logs the deliberate 403 or 404 of the page itself as a console error. */
const expected4xx = /Failed to load resource: the server responded with a status of 40[34]/;

/** The card is on screen, whole, and centred across the page (not in a corner). */
async function cardPlacement(page: Page) {
  const card = await page.getByTestId("error-page").boundingBox();
  const viewport = page.viewportSize()!;
  if (!card) throw new Error("no error card on the page");
  return {
    centred: Math.abs(card.x + card.width / 2 - viewport.width / 2) <= 2,
    onScreen: card.x >= 0 && card.y >= 0 && card.x + card.width <= viewport.width && card.y + card.height <= viewport.height,
  };
}

for (const [size, viewport] of [
  ["lane", desktop],
  ["tablet", tablet],
] as const) {
  describe(`at ${size} size (${viewport.width}×${viewport.height})`, () => {
    test("a cashier opening a manager's page sees why, and gets back to the register", async () => {
      const till = await openTill(browser, shop.url, shop.store.store, size === "lane" ? 1 : 2, { viewport, allow: [expected4xx] });
      tills.push(till);
      const { page } = till;
      for (const path of ["/devices", "/audit"]) {
        const res = await page.goto(`${shop.url}${path}`);
        expect(res?.status()).toBe(403);
        expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("You cannot open this page");
        expect(await page.getByTestId("error-message").innerText()).toMatch(/^This needs a manager or above; .+ is a cashier\.$/);
        expect(await page.title()).toBe("You cannot open this page · ShopFlow");
        expect(await cardPlacement(page)).toEqual({ centred: true, onScreen: true });
        await page.getByRole("link", { name: "Back to the register" }).click();
        await page.waitForURL(`${shop.url}/`);
        await waitForRegister(page);
      }
      expect(till.problems()).toEqual([]);
    });

    test("an address with no page shows the 404 page, and its way on leads to the register", async () => {
      const till = await openTill(browser, shop.url, shop.store.store, size === "lane" ? 3 : 4, { viewport, allow: [expected4xx] });
      tills.push(till);
      const { page } = till;
      const res = await page.goto(`${shop.url}/no-such-page`);
      expect(res?.status()).toBe(404);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Page not found");
      expect(await page.getByTestId("error-message").innerText()).toBe("There is no page at this address.");
      expect(await cardPlacement(page)).toEqual({ centred: true, onScreen: true });
      await page.getByRole("link", { name: "Back to the register" }).click();
      await page.waitForURL(`${shop.url}/`);
      await waitForRegister(page);
      expect(till.problems()).toEqual([]);
    });
  });
}

test("a browser that is no one's yet gets the 404 page with a way to sign in that opens the sign-in page", async () => {
  const context = await browser.newContext({ viewport: desktop });
  try {
    const page = await context.newPage();
    const problems = watchPage(page, { allow: [expected4xx] });
    const res = await page.goto(`${shop.url}/no-such-page`);
    expect(res?.status()).toBe(404);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(/\/(login|setup)$/);
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});

test("/favicon.ico answers with the app's icon, as an image", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const res = await page.goto(`${shop.url}/favicon.ico`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-type"]).toBe("image/svg+xml");
    // Chromium shows it as an image: the document is the SVG itself, drawn at a size
    const drawn = await page.evaluate(() => document.documentElement.localName === "svg" && document.documentElement.getBoundingClientRect().width > 0);
    expect(drawn).toBe(true);
  } finally {
    await context.close();
  }
});
