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
});

test("/favicon.ico is the app's icon, to anyone", async () => {
  const icon = await new Visitor(hq).request("GET", "/favicon.ico");
  expect(icon.status).toBe(200);
  expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
  expect(await icon.text()).toStartWith("<svg");
});
