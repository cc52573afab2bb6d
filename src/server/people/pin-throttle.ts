// PIN guessing is slowed wherever a PIN is typed: sign-in, pairing and manager approvals. Each attempt is counted
// against who tries (a device, an address, or the signed-in user asking for approval); more than 10 a minute wait.
// Pairing is also limited for the whole store, because addresses are cheap to change on a shop's LAN.

import type { Database } from "bun:sqlite";
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import { Problem } from "../../domain/kernel/problem.ts";

export const PIN_TRIES_PER_MINUTE = 10;
/** Pairing attempts the whole store takes in ten minutes, from every address together. */
export const PAIRINGS_PER_TEN_MINUTES = 10;

/** Who is trying, as a key: the paired device when there is one, else the network address. */
export function triesKey(c: Context, deviceId: number | null | undefined): string {
  if (deviceId) return `device:${deviceId}`;
  try {
    return `addr:${getConnInfo(c).remote.address ?? "unknown"}`;
  } catch {
    return "addr:unknown"; // in-process requests have no socket
  }
}

/** Count one attempt; throws 429 once `key` has tried `limit` times within `windowMs` (default: 10 a minute). */
export function countPinTry(
  db: Database,
  key: string,
  now: Date,
  { limit = PIN_TRIES_PER_MINUTE, windowMs = 60_000, message = "Too many PIN tries; wait a minute and try again." } = {},
): void {
  const since = new Date(now.getTime() - windowMs).toISOString();
  db.query("DELETE FROM pin_attempts WHERE at < ?").run(new Date(now.getTime() - 3_600_000).toISOString());
  const tries = db.query<{ n: number }, [string, string]>("SELECT count(*) AS n FROM pin_attempts WHERE device_key = ? AND at > ?").get(key, since)!.n;
  if (tries >= limit) throw new Problem("too_many_tries", message);
  db.query("INSERT INTO pin_attempts(device_key, at) VALUES (?, ?)").run(key, now.toISOString());
}

/** One pairing attempt against the store-wide limit. */
export function countPairingTry(db: Database, now: Date): void {
  countPinTry(db, "store:pairing", now, {
    limit: PAIRINGS_PER_TEN_MINUTES,
    windowMs: 600_000,
    message: "Too many attempts to pair a register in the last ten minutes; wait a few minutes and try again.",
  });
}
