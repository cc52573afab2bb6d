// End-to-end harness: Debian's chromium driven by playwright-core, against the real app served over HTTP in-process.
import { type Browser, chromium, type Page } from "playwright-core";
import { createApp } from "../../src/server/app.ts";
import { makeTestStore, type TestStore } from "./store.ts";

/** Debian's build; `npx playwright install` cannot download browsers on these machines. */
export const chromiumPath = "/usr/bin/chromium";

/** Flags from DESIGN §9: no sandbox (containers, root), no GPU, and nothing that phones home or updates itself. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** A headless chromium with a fresh profile of its own (playwright makes and removes a temp user data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export type TestServer = {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  store: TestStore;
  /** Closes open connections, then the database, and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
};

export type TestServerOptions = {
  /** Seed the small known catalog (default true). */
  catalog?: boolean;
  /** Runs on the store before the app is built: settings, extra products, tokens. */
  setup?: (t: TestStore) => void;
};

/** The real app on a real socket (127.0.0.1, a free port) over a temp-dir store, in this process. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const t = makeTestStore({ catalog: options.catalog });
  try {
    options.setup?.(t);
    const app = createApp(t.store);
    // idleTimeout as in `shopflow serve`; Bun's default of 10 s would cut long-lived SSE streams.
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch, idleTimeout: 60, development: false });
    let stopped: Promise<void> | null = null;
    return {
      url: `http://127.0.0.1:${server.port}`,
      store: t,
      stop() {
        stopped ??= (async () => {
          await server.stop(true);
          t.close();
        })();
        return stopped;
      },
    };
  } catch (e) {
    t.close();
    throw e;
  }
}

export type WatchOptions = {
  /** Messages that a test expects (a deliberate 422 shows up as "Failed to load resource"), matched against the text. */
  allow?: readonly RegExp[];
};

/**
 * Start listening to a page for console errors, uncaught exceptions (pageerror), CSP violations (chromium reports
 * them as console errors) and server errors; returns a function that lists what was seen so far, so a test can end
 * with `expect(problems()).toEqual([])`.
 */
export function watchPage(page: Page, options: WatchOptions = {}): () => string[] {
  const seen: string[] = [];
  const note = (text: string) => {
    if (!options.allow?.some((re) => re.test(text))) seen.push(text);
  };
  page.on("console", (msg) => {
    if (msg.type() !== "error" && msg.type() !== "assert") return;
    const where = msg.location();
    // Chromium asks for /favicon.ico by itself on documents without an icon link (JSON, /healthz); the page did not.
    if (where.url.endsWith("/favicon.ico") && msg.text().startsWith("Failed to load resource")) return;
    note(`console.${msg.type()}: ${msg.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
  });
  page.on("pageerror", (err) => note(`pageerror: ${err.stack ?? err.message}`));
  page.on("crash", () => note("crash: the page crashed"));
  page.on("response", (res) => {
    if (res.status() >= 500) note(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on("requestfailed", (req) => {
    const failure = req.failure()?.errorText ?? "failed";
    // A navigation away aborts requests still in flight; that is not a fault of the page.
    if (failure !== "net::ERR_ABORTED") note(`request failed: ${req.method()} ${req.url()}: ${failure}`);
  });
  return () => [...seen];
}
