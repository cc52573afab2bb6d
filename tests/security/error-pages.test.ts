// What a refusal or a missing page looks like to each kind of asker: a person's browser gets a whole page in the
// store's look (a headline, the sentence to act on, the ways on), htmx its fragment as before, and programs the JSON
// error they always had. And /favicon.ico is the app's icon, not a 404.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestStore, signIn, type TestStore } from "../helpers/store.ts";
import { type Browser, browserOf, errorCode, send } from "./support.ts";

let t: TestStore;
const who: Record<string, Browser> = {};

beforeAll(async () => {
  t = makeTestStore();
  who.cashier = browserOf(await signIn(t.store, 1, { role: "cashier" }));
  const manager = await signIn(t.store, 2, { role: "manager" });
  who.manager = browserOf(manager);
  // a manager at the back-office PC: signed in, on no register
  const away = t.store.sessions.start(manager.userId, null, t.clock.now().toISOString());
  who["manager away"] = { session: away.cookie, csrf: away.csrf };
  who.nobody = { device: who.cashier.device, csrf: "nobody-on-a-register-0123456789" };
  who.stranger = {};
});
afterAll(() => t.close());

const html = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const page = (asker: string, path: string) => send(t, "GET", path, { browser: who[asker]!, headers: html });

/** The page as a person reads it: headline, sentences, and the links onwards (href and label). */
async function read(res: Response) {
  const text = await res.text();
  const strip = (s: string) => s.replace(/<[^>]+>/g, "").trim();
  return {
    text,
    headline: strip(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(text)?.[1] ?? ""),
    message: strip(/data-testid="error-message"[^>]*>([\s\S]*?)<\/p>/.exec(text)?.[1] ?? ""),
    ways: [...text.matchAll(/<a class="button[^"]*" href="([^"]+)" data-testid="way-on">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`),
  };
}

describe("a person's browser", () => {
  test("a cashier opening a manager's page gets a whole 403 page that says why and leads back to the register", async () => {
    for (const path of ["/devices", "/audit", "/users"]) {
      const res = await page("cashier", path);
      expect(res.status).toBe(403);
      expect(res.headers.get("Content-Type")).toContain("text/html");
      expect(res.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
      const p = await read(res.clone());
      expect(p.text.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(p.text).toContain('<link rel="stylesheet" href="/static/register.css"/>');
      expect(p.text).toContain('<link rel="icon" href="/static/icon.svg" type="image/svg+xml"/>');
      expect(p.text).toContain('class="card-page"');
      expect(p.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script under the strict CSP
      expect(p.headline).toBe("You cannot open this page");
      expect(p.message).toMatch(/^This needs a manager or above; .+ is a cashier\.$/);
      expect(p.text).toContain("Ask someone who may open it to sign in on this browser.");
      expect(p.ways).toEqual(["/ Back to the register", "/login Sign in as someone else"]);
      expect(await errorCode(res)).toBe("forbidden");
    }
  });

  test("an address with no page gets a whole 404 page, with the way on that fits who asks", async () => {
    const ways: Record<string, string[]> = {
      cashier: ["/ Back to the register"],
      manager: ["/ Back to the register", "/devices Back office"],
      "manager away": ["/devices Back office"],
      nobody: ["/login Sign in"],
      stranger: ["/login Sign in"],
    };
    for (const [asker, want] of Object.entries(ways)) {
      for (const path of ["/no-such-page", "/static/no-such-file.css", "/register-typo"]) {
        const res = await page(asker, path);
        expect(res.status).toBe(404);
        const p = await read(res);
        expect([asker, path, p.headline, p.message]).toEqual([asker, path, "Page not found", "There is no page at this address."]);
        expect([asker, p.ways]).toEqual([asker, want]);
        expect(p.text).toContain('data-code="not_found"');
      }
    }
  });

  test("a form posted from no register where one is needed, or by nobody signed in, gets a page that leads to pairing or sign-in", async () => {
    const unpaired = await send(t, "POST", "/shift/open", { browser: who["manager away"]!, form: { float: "100.00" }, headers: html });
    expect(unpaired.status).toBe(403);
    const p = await read(unpaired);
    expect(p.headline).toBe("This browser is not a register");
    expect(p.ways).toEqual(["/pair Pair this browser", "/devices Back office"]);

    const nobody = await send(t, "POST", "/shift/open", { browser: who.nobody!, form: { float: "100.00" }, headers: html });
    expect(nobody.status).toBe(401);
    const q = await read(nobody);
    expect(q.headline).toBe("Sign in first");
    expect(q.ways).toEqual(["/login Sign in"]);
  });

  test("a page a redirect answers still redirects: a register page for nobody signed in, for a browser that is no register", async () => {
    expect((await page("nobody", "/")).headers.get("Location")).toBe("/login");
    expect((await page("manager away", "/shift")).headers.get("Location")).toBe("/pair");
  });
});

describe("htmx and programs keep their answers", () => {
  test("an htmx request gets the sentence as a fragment, not a page", async () => {
    const forbidden = await send(t, "GET", "/devices", { browser: who.cashier!, htmx: true, headers: html });
    expect(forbidden.status).toBe(403);
    const text = await forbidden.text();
    expect(text).toMatch(/^<p class="message error" role="alert" data-code="forbidden">This needs a manager or above; .+<\/p>$/);

    const missing = await send(t, "GET", "/no-such-page", { browser: who.cashier!, htmx: true, headers: html });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<p class="message error" role="alert" data-code="not_found">There is nothing at /no-such-page.</p>');
  });

  test("a register action refused over htmx still answers in the message line (its own fragment and trigger)", async () => {
    const res = await send(t, "POST", "/register/scan", { browser: who.cashier!, htmx: true, form: { code: "4000000000006" } });
    expect(res.status).toBe(422);
    expect(res.headers.get("HX-Retarget")).toBe("#message");
    expect(await res.text()).not.toContain("<!DOCTYPE html>");
  });

  test("the JSON API answers an unknown address in JSON, even to a browser's Accept", async () => {
    const res = await t.api("/api/v1/no-such-thing", { headers: html });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  test("a program asking for JSON gets the JSON error for a page refusal or a missing page", async () => {
    const json = { Accept: "application/json" };
    const forbidden = await send(t, "GET", "/devices", { browser: who.cashier!, headers: json });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: { code: "forbidden", message: expect.stringMatching(/^This needs a manager or above/) } });
    const missing = await send(t, "GET", "/no-such-page", { headers: json });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "There is nothing at /no-such-page." } });
    const sync = await send(t, "GET", "/sync/v1/no-such-thing", { headers: html });
    expect(sync.headers.get("Content-Type")).toContain("application/json");
    expect(await errorCode(sync)).toBe("not_found");
  });
});

describe("the icon", () => {
  test("/favicon.ico is the app's icon, to anyone, revalidated by its ETag", async () => {
    const icon = await t.app.request("/favicon.ico");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
    const svg = await icon.text();
    expect(svg).toBe(await (await t.app.request("/static/icon.svg")).text());
    expect(svg).toStartWith("<svg");
    const again = await t.app.request("/favicon.ico", { headers: { "If-None-Match": icon.headers.get("ETag")! } });
    expect(again.status).toBe(304);
  });
});
