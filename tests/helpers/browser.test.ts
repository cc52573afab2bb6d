// Smoke test of the end-to-end harness: chromium starts, reaches the served app, and the page watcher sees faults.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext } from "playwright-core";
import { launchBrowser, startTestServer, type TestServer, watchPage } from "./browser.ts";

let server: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test("chromium opens /healthz of the served app and sees the store is ok", async () => {
  const page = await context.newPage();
  const problems = watchPage(page);
  const res = await page.goto(`${server.url}/healthz`);
  expect(res?.status()).toBe(200);
  const text = await page.locator("body").innerText();
  expect(JSON.parse(text)).toMatchObject({ status: "ok", database: "ok" });
  expect(problems()).toEqual([]);
  await page.close();
});

test("the server answers over a real socket, and its store is the one the test holds", async () => {
  const res = await fetch(`${server.url}/api/v1/products?barcode=${server.store.store.catalog.bySku("MILK-1L")!.barcode}`, {
    headers: { Authorization: `Bearer ${server.store.token}` },
  });
  expect(res.status).toBe(200);
  expect((await res.json()).data[0].sku).toBe("MILK-1L");
});

test("watchPage reports console errors, uncaught exceptions and CSP violations", async () => {
  const page = await context.newPage();
  const problems = watchPage(page, { allow: [/allowed on purpose/] });
  // A page of our own under a strict policy, so the test does not depend on what the app's pages contain.
  await page.route(`${server.url}/__watch-probe`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      headers: { "Content-Security-Policy": "default-src 'self'; script-src 'self'" },
      body: "<!doctype html><title>probe</title><p>probe</p><script>document.title = 'inline ran'</script>",
    }),
  );
  await page.goto(`${server.url}/__watch-probe`);
  await page.evaluate(() => {
    console.error("allowed on purpose");
    console.error("something broke");
    setTimeout(() => {
      throw new Error("uncaught on purpose");
    });
  });
  // The thrown error and the CSP report arrive asynchronously.
  for (let i = 0; i < 100 && problems().length < 3; i++) await Bun.sleep(20);
  expect(await page.title()).toBe("probe");
  const seen = problems().join("\n");
  expect(seen).toContain("Content Security Policy");
  expect(seen).toContain("console.error: something broke");
  expect(seen).toContain("pageerror: Error: uncaught on purpose");
  expect(seen).not.toContain("allowed on purpose");
  await page.close();
});

// Bun's `expect(promise).resolves` takes about a second per call when the promise is a browser round trip (the test's
// event loop waits in steps), so a browser test of a dozen such checks ran 10 s here and passed its 30 s action
// timeouts on a busy CI machine. Browser tests await the value first: `expect(await locator.innerText())`.
test("no test that drives the browser checks a promise with expect(...).resolves", async () => {
  const offenders: string[] = [];
  for (const dir of ["tests", "src"]) {
    for await (const path of new Bun.Glob("**/*.test.{ts,tsx}").scan(dir)) {
      const text = await Bun.file(`${dir}/${path}`).text();
      if (/playwright-core|launchBrowser/.test(text) && /\)\s*\.resolves\./.test(text)) offenders.push(`${dir}/${path}`);
    }
  }
  expect(offenders).toEqual([]);
});
