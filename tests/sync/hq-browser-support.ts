// What the head-office tests in a real browser share: head office on a real socket (127.0.0.1, a free port) with one
// person who may sign in, a headless Chromium, a fresh watched page, and signing in through the sign-in form.
import { expect } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { addUser, type HqRole } from "../../src/sync/hq/people/users.ts";
import { launchBrowser, watchPage } from "../helpers/browser.ts";
import { type Hq, startHq } from "./hq-support.ts";

export type HqInBrowser = {
  hq: Hq;
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  browser: Browser;
  /** A fresh browser profile and a page watched for console errors, CSP violations and 5xx; close the context after. */
  open(): Promise<{ context: BrowserContext; page: Page; problems: () => string[] }>;
  /**
   * The page goes to `path`, is sent to the sign-in page, signs in as the test's person through the form and lands
   * back on `path`.
   */
  signIn(page: Page, path: string): Promise<void>;
  /** Closes the browser, the server and head office's database. Safe after a failed start. */
  close(): Promise<void>;
};

export type HqInBrowserOptions = {
  /** The one person of the test, added as the CLI adds people; the password is `<name in lower case>-password-1`. */
  person: { name: string; role: HqRole };
  /** Runs on head office before the server opens: stores, batches, releases, the clock. */
  setup?: (hq: Hq) => Promise<void>;
  /** Seconds a quiet connection may stay open (Bun's default is 10; `shopflow hq` sets 120 for the /events stream). */
  idleTimeout?: number;
};

/** Head office served to a real Chromium, ready for one person to sign in. */
export async function startHqInBrowser(options: HqInBrowserOptions): Promise<HqInBrowser> {
  const hq = await startHq();
  let server: ReturnType<typeof Bun.serve> | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop(true);
    await hq.close();
  };
  try {
    const { name, role } = options.person;
    const password = `${name.toLowerCase()}-password-1`;
    await addUser(hq.sql, { name, role, password, createdBy: "test" });
    await options.setup?.(hq);
    const idle = options.idleTimeout === undefined ? {} : { idleTimeout: options.idleTimeout };
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: hq.app.fetch, ...idle, development: false });
    const url = `http://127.0.0.1:${server.port}`;
    const chromium = await launchBrowser();
    browser = chromium;
    return {
      hq,
      url,
      browser: chromium,
      async open() {
        const context = await chromium.newContext();
        const page = await context.newPage();
        return { context, page, problems: watchPage(page) };
      },
      async signIn(page, path) {
        await page.goto(`${url}${path}`);
        expect(new URL(page.url()).pathname).toBe("/login");
        await page.getByTestId("name-input").fill(name);
        await page.getByTestId("password-input").fill(password);
        await page.getByTestId("login-submit").click();
        await page.waitForURL(`${url}${path}`); // back where they were going
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
