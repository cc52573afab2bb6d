// The sentence a page shows after its own redirect ("Printer Back added."), carried in the address as ?said= with a
// signature, so that only a sentence this server wrote, for this page, a few minutes ago is shown: a crafted link's
// ?said= ("Your password expired, call …") shows nothing. Used by the store and by head office.
//
// The key is made when the process starts and never leaves it. After a restart, or with two head-office processes
// behind one address (the redirect answered by one, the page by the other), the signature does not match and the
// sentence is just not shown: the change itself was made and the page shows its result.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { HonoRequest } from "hono";

const KEY = randomBytes(32);

/** How long a signed sentence is shown after its redirect: a reload soon after still shows it, an old link does not. */
export const SAID_MINUTES = 10;
/** A clock a little behind another's (two processes, a test clock) is not a reason to hide the sentence. */
const AHEAD_MS = 60_000;
/** No sentence is longer: a longer ?said= is not even checked. */
const LONGEST = 2_000;
const SIG = "said_sig";

const pathOf = (path: string) => new URL(path, "http://said.invalid").pathname;

function mac(path: string, issued: number, text: string): Buffer {
  return createHmac("sha256", KEY)
    .update(`${pathOf(path)}\n${issued}\n${text}`)
    .digest();
}

/**
 * Where to send the browser so that `path` (a path without a query) shows `text`: `path?said=…&said_sig=…`. More
 * query parameters can follow with `&`.
 */
export function saidLocation(path: string, text: string, now: Date): string {
  const issued = now.getTime();
  const sig = `${issued.toString(36)}.${mac(path, issued, text).toString("base64url")}`;
  return `${path}?said=${encodeURIComponent(text)}&${SIG}=${sig}`;
}

/**
 * The sentence this request's address carries, at most `max` characters, when this process signed it for this page
 * within SAID_MINUTES; otherwise nothing.
 */
export function saidOf(c: { req: Pick<HonoRequest, "url" | "query"> }, now: Date, max: number): string | undefined {
  const text = c.req.query("said");
  const sig = c.req.query(SIG);
  if (!text || !sig || text.length > LONGEST) return undefined;
  const [at, given] = sig.split(".");
  if (!at || !given || !/^[0-9a-z]{1,12}$/.test(at)) return undefined;
  const issued = Number.parseInt(at, 36);
  const age = now.getTime() - issued;
  if (age > SAID_MINUTES * 60_000 || age < -AHEAD_MS) return undefined;
  const expected = mac(new URL(c.req.url).pathname, issued, text);
  const got = Buffer.from(given, "base64url");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
  return text.slice(0, max);
}
