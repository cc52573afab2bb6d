// A store's database epochs at head office: a restored store database is never merged by itself; a person at head
// office accepts it, and the store then sends its whole outbox again under the new epoch.

import type { ErrorBody } from "../../../server/platform/errors.ts";
import { type ErrorStatus, refusal } from "../../../server/platform/http/problems.ts";
import type { HqSql } from "../db/db.ts";

export type EpochAccepted = { store_id: string; epoch: string; previous_epoch: string; previous_last_seq: number };

export type EpochAcceptance = { status: 200; body: EpochAccepted } | { status: ErrorStatus; body: ErrorBody };

type Outcome =
  | { outcome: "ok"; old_epoch: string; old_last_seq: number }
  | { outcome: "unknown_store" }
  | { outcome: "not_reported"; reported: string | null }
  | { outcome: "held_before" }
  | { outcome: "live"; heard_at: string };

/** The current epoch is live while an item of it arrived this recently: another server may be selling under it. */
export const LIVE_EPOCH_MINUTES = 15;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Make the epoch the store reported (a restored or rebuilt database) its current one, with nothing received yet:
 * sales head office already has come back as duplicates, new ones are merged, changed ones go to dead letters.
 * Refused when `epoch` is not the one reported now (someone looked at an older report) or was held before, and while
 * the current epoch is still live unless `retireLive` says the admin means it: a live epoch is never retired silently.
 * One statement (hq_accept_restored_epoch), under the store's lock, so it never falls between two batches' checks.
 */
export async function acceptRestoredEpoch(
  sql: HqSql,
  storeId: string,
  epoch: string,
  acceptedBy: string,
  options: { retireLive?: boolean } = {},
): Promise<EpochAcceptance> {
  if (!uuid.test(storeId)) return notFound();
  const who = acceptedBy.trim();
  if (who.length === 0 || who.length > 200 || who.includes("\u0000") || !who.isWellFormed()) {
    return refusal("invalid_person", "Say who accepts the restored database: a name of 1 to 200 characters.");
  }
  if (epoch.length > 200 || epoch.includes("\u0000") || !epoch.isWellFormed()) return notReported(null);
  const [row] = await sql<{ r: Outcome }[]>`SELECT hq_accept_restored_epoch(${storeId}::uuid, ${epoch}::text, ${who}::text,
    ${options.retireLive === true}::boolean, ${LIVE_EPOCH_MINUTES}::integer) AS r`;
  const r = row!.r;
  switch (r.outcome) {
    case "ok":
      return { status: 200, body: { store_id: storeId.toLowerCase(), epoch, previous_epoch: r.old_epoch, previous_last_seq: r.old_last_seq } };
    case "unknown_store":
      return notFound();
    case "not_reported":
      return notReported(r.reported);
    case "held_before":
      return refusal("epoch_held_before", "Head office has held this database epoch before; the store must start a new one before it is accepted.", {
        epoch,
      });
    case "live":
      return refusal(
        "epoch_live",
        `The database head office follows now sent sales within the last ${LIVE_EPOCH_MINUTES} minutes: a server may still be selling under it. Make sure it is stopped, then accept saying so.`,
        { heard_at: r.heard_at },
      );
    default: {
      const _exhaustive: never = r;
      throw new Error(`hq_accept_restored_epoch answered ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function notReported(reported: string | null): EpochAcceptance {
  return refusal(
    "epoch_not_reported",
    reported === null
      ? "This store has not reported a restored database; there is nothing to accept."
      : "This store now reports another restored database; look at it again before accepting.",
    { reported_epoch: reported },
  );
}

function notFound(): EpochAcceptance {
  return refusal("store_not_found", "This store is not registered at head office.");
}
