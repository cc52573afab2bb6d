// The browser-side defences every page carries: a strict Content-Security-Policy, no MIME sniffing, no referrer to
// other sites, never inside another site's frame — and pages that need nothing the policy forbids.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { browserOf, send } from "./support.ts";

let t: TestStore;
let admin: SignedIn;
beforeAll(async () => {
  t = makeTestStore();
  admin = await signIn(t.store, 1, { role: "admin" });
});
afterAll(() => t.close());

/** The policy as directive -> sources. */
function csp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

const pages: [string, boolean][] = [
  ["/", true],
  ["/register/sale", true],
  ["/shift", true],
  ["/shift/close", true],
  ["/devices", true],
  ["/users", true],
  ["/audit", true],
  ["/audit/export.csv", true],
  ["/login", false],
  ["/pair", false],
  ["/setup", false],
  ["/nowhere", false],
];

describe("every page and fragment", () => {
  for (const [path, signedIn] of pages) {
    test(`${path}${signedIn ? "" : " (signed out)"}`, async () => {
      const res = await send(t, "GET", path, signedIn ? { browser: browserOf(admin) } : {});
      const policy = csp(res.headers.get("Content-Security-Policy"));
      expect(policy.get("default-src")).toEqual(["'self'"]);
      expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
      for (const forbidden of ["'unsafe-eval'", "'unsafe-inline'", "*", "data:", "http:", "https:", "'unsafe-hashes'", "'wasm-unsafe-eval'"]) {
        // data: images are the one allowance (the receipt logo preview)
        const where = [...policy].filter(([d, s]) => s.includes(forbidden) && !(forbidden === "data:" && d === "img-src")).map(([d]) => d);
        expect({ forbidden, where }).toEqual({ forbidden, where: [] });
      }
      // script-src falls back to default-src when absent; when present it is ours only
      expect(policy.get("script-src") ?? ["'self'"]).toEqual(["'self'"]);
      expect([["'self'"], ["'none'"]]).toContainEqual(policy.get("object-src") ?? policy.get("default-src")!);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(res.headers.get("Referrer-Policy")!);
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    });
  }
});

describe("the pages themselves", () => {
  test("carry no inline script, no event-handler attributes and no javascript: URLs, so the policy costs nothing", async () => {
    const boss = browserOf(admin);
    for (const path of ["/", "/shift", "/shift/close", "/devices", "/users", "/audit", "/login", "/pair"]) {
      const html = await (await send(t, "GET", path, { browser: boss })).text();
      const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\ssrc=/.test(m[1]!) || m[2]!.trim() !== "");
      expect({ path, inline: inline.map((m) => m[0].slice(0, 80)) }).toEqual({ path, inline: [] });
      expect({ path, handlers: html.match(/\son[a-z]+\s*=/gi) ?? [] }).toEqual({ path, handlers: [] });
      expect({ path, urls: html.match(/javascript:/gi) ?? [] }).toEqual({ path, urls: [] });
    }
  });
});
