// Head office's refusals and missing pages as a person sees them: a whole page in head office's look with the way on,
// while htmx keeps its fragment, programs their JSON, and a stranger is still sent to sign in. /favicon.ico is the icon.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { errorCode, type Hq, signedIn, startHq, Visitor } from "./hq-support.ts";

let hq: Hq;
let viewer: Visitor;

beforeAll(async () => {
  hq = await startHq();
  viewer = await signedIn(hq, "vera-viewer", "viewer");
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const headline = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];
const ways = (html: string) => [...html.matchAll(/<a class="button[^"]*" href="([^"]+)" data-testid="way-on">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);

test("a viewer opening an admin's page gets a whole 403 page in head office's look, leading back to head office", async () => {
  for (const path of ["/users", "/tokens"]) {
    const { res, html } = await viewer.page(path);
    expect(res.status).toBe(403);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/static/hq.css"/>');
    expect(html).toContain('<link rel="icon" href="/static/icon.svg" type="image/svg+xml"/>');
    expect(headline(html)).toBe("You cannot open this page");
    expect(html).toContain('data-code="forbidden"');
    expect(html).toContain("This needs an admin; vera-viewer is a viewer.");
    expect(ways(html)).toEqual(["/ Back to head office"]);
  }
});

test("an address with no page gets a 404 page for a signed-in person; a stranger is sent to sign in first", async () => {
  const { res, html } = await viewer.page("/no-such-page");
  expect(res.status).toBe(404);
  expect(headline(html)).toBe("Page not found");
  expect(html).toContain("There is no page at this address.");
  expect(ways(html)).toEqual(["/ Back to head office"]);

  const stranger = await new Visitor(hq).request("GET", "/no-such-page");
  expect(stranger.status).toBe(303);
  expect(stranger.headers.get("Location")).toStartWith("/login");
});

/** The links of head office's navigation bar, and the one marked as the current part. */
const navLinks = (html: string) => [...(/<nav aria-label="Head office">(.*?)<\/nav>/s.exec(html)?.[1]?.matchAll(/<a href="([^"]+)"/g) ?? [])].map((m) => m[1]);
const current = (html: string) => {
  const bar = /<header class="topbar">(.*?)<\/header>/s.exec(html)?.[1] ?? "";
  return /<a href="([^"]+)" aria-current="page"/.exec(bar)?.[1] ?? null;
};

test("a signed-in person's refusal or missing page is inside head office's pages, with the navigation their role has", async () => {
  const { res, html } = await viewer.page("/catalog/no-such-page");
  expect(res.status).toBe(404);
  expect(html).toContain('<header class="topbar">');
  expect(navLinks(html)).toContain("/catalog");
  expect(navLinks(html)).not.toContain("/users"); // a viewer's bar, as on every other page of theirs
  expect(current(html)).toBe("/catalog"); // the part of head office the address belongs to
  expect(html).toContain('<span data-testid="signed-in-as">');
  expect(html).toContain('data-testid="sign-out"');
  expect(html).not.toContain("card-page");
  expect(headline(html)).toBe("Page not found");
  expect(ways(html)).toEqual(["/ Back to head office"]);

  // an address that is no part of head office marks no part of the bar
  const elsewhere = await viewer.page("/no-such-page");
  expect(navLinks(elsewhere.html).length).toBeGreaterThan(0);
  expect(current(elsewhere.html)).toBeNull();

  const admin = await signedIn(hq, "ada-admin", "admin");
  const forbidden = await viewer.page("/users");
  expect(forbidden.res.status).toBe(403);
  expect(navLinks(forbidden.html)).not.toContain("/users");
  const missing = await admin.page("/users/no-such-user/nothing");
  expect(missing.res.status).toBe(404);
  expect(navLinks(missing.html)).toContain("/users");
  expect(current(missing.html)).toBe("/users");
});

test("a signed-out person's refusal stays the card, with no navigation", async () => {
  const stranger = new Visitor(hq);
  await stranger.page("/login");
  const res = await stranger.request("POST", "/login", { csrf: null, form: { name: "vera-viewer", password: "vera-viewer-password-1" } });
  expect(res.status).toBe(403);
  const html = await res.text();
  expect(html).toContain('data-testid="error-page"');
  expect(html).toContain('class="card-page"');
  expect(html).not.toContain('aria-label="Head office"');
  expect(html).not.toContain("signed-in-as");
  expect(ways(html)).toEqual(["/login Sign in"]);
});

test("htmx keeps its fragment, and programs their JSON", async () => {
  const htmx = await viewer.request("GET", "/users", { headers: { "HX-Request": "true" } });
  expect(htmx.status).toBe(403);
  expect(await htmx.text()).toBe('<p class="message error" role="alert" data-code="forbidden">This needs an admin; vera-viewer is a viewer.</p>');

  const json = await viewer.request("GET", "/users", { headers: { Accept: "application/json" } });
  expect(json.status).toBe(403);
  expect(json.headers.get("Content-Type")).toContain("application/json");
  expect(await errorCode(json)).toBe("forbidden");

  const api = await viewer.request("GET", "/api/v1/no-such-thing");
  expect(api.status).toBe(401);
  expect(api.headers.get("Content-Type")).toContain("application/json");
  const sync = await viewer.request("GET", "/sync/v1/no-such-thing");
  expect(sync.headers.get("Content-Type")).toContain("application/json");
  expect(await sync.text()).not.toContain("<nav");
});

test("/favicon.ico is the app's icon, to anyone", async () => {
  const icon = await new Visitor(hq).request("GET", "/favicon.ico");
  expect(icon.status).toBe(200);
  expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
  expect(await icon.text()).toStartWith("<svg");
});
