// The register over https in real Chromium: `shopflow serve` with the certificate `tls init` made, the browser pinning
// that certificate's public key (as a tablet that trusts the store's authority would accept it), a sale rung up and
// paid in cash, with no console error; the same browser without the pin is stopped at the certificate.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { desktop, eventually, registerCookies, rowCount, scanAndWait, textOf, waitForRegister } from "../e2e/support.ts";
import { chromiumArgs, chromiumPath, watchPage } from "../helpers/browser.ts";
import { runCommand, sourceCommand } from "../helpers/server.ts";
import { codes, seedSmallCatalog, signIn } from "../helpers/store.ts";
import { type Served, serve, tlsDir } from "./support.ts";

const data = mkdtempSync(join(tmpdir(), "shopflow-tls-register-"));
let server: Served;
let shop: Shop;
let browser: Browser;
let spki: string;

beforeAll(async () => {
  const setup = openShop({ dataDir: data });
  seedSmallCatalog(setup);
  setup.close();
  const init = await runCommand(sourceCommand, ["tls", "init", "--data", data]);
  if (init.code !== 0) throw new Error(init.stderr);
  // what Chromium pins: base64 SHA-256 of the certificate's SubjectPublicKeyInfo
  const der = createPublicKey(readFileSync(join(tlsDir(data), "server.crt"))).export({ type: "spki", format: "der" });
  spki = createHash("sha256").update(der).digest("base64");
  server = await serve(["--data", data]);
  // the test's own connection to the same database, as a command beside the server: it pairs the lane and signs in
  shop = openShop({ dataDir: data });
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs, `--ignore-certificate-errors-spki-list=${spki}`] });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  shop?.close();
  rmSync(data, { recursive: true, force: true });
});

test("a cashier sells at the register over https, the page a secure context, with no console error", async () => {
  expect(server.url).toStartWith("https://");
  const cashier = await signIn(shop, 1);
  const context = await browser.newContext({ viewport: desktop });
  try {
    await context.addCookies(registerCookies(server.url, cashier));
    const page = await context.newPage();
    const problems = watchPage(page);
    const res = await page.goto(`${server.url}/`);
    expect(res?.status()).toBe(200);
    await waitForRegister(page);
    expect(await page.evaluate(() => [location.protocol, window.isSecureContext])).toEqual(["https:", true]);

    await page.getByTestId("new-sale-button").click();
    await scanAndWait(page, codes.milk, 1);
    await scanAndWait(page, codes.bread, 2);
    expect(await textOf(page, "total-due")).toBe("€4.68");
    await page.getByTestId("cash-payment").click();
    await page.getByTestId("cash-received").waitFor({ state: "visible" });
    await page.getByTestId("cash-received").fill("5");
    await page.getByTestId("complete-sale").click();
    await page.getByTestId("receipt-modal").waitFor({ state: "visible" });
    expect(await textOf(page, "change-due")).toBe("€0.32");
    await page.getByTestId("next-sale").click();
    await eventually(() => rowCount(page), 0, "an empty register after Next sale");

    const sales = shop.db.query<{ status: string; total: number; paid: number }, []>("SELECT status, total, paid FROM sales WHERE status = 'completed'").all();
    expect(sales).toEqual([{ status: "completed", total: 468, paid: 500 }]);
    expect(problems()).toEqual([]);
  } finally {
    await context.close();
  }
});

test("without the pin, Chromium stops at the certificate: it is ours, not one any browser would take", async () => {
  const plain = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    const page = await plain.newPage();
    let error = "";
    await page.goto(`${server.url}/healthz`).catch((e: Error) => {
      error = e.message;
    });
    expect(error).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await plain.close();
  }
});
