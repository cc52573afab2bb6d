// The store's end of the outbox: completed sales go to head office in batches, exactly once, whenever the link is up.
// The register never waits on this: it runs beside the sales, reads committed outbox rows and records what was acked.
import type { Database } from "bun:sqlite";
import type { Clock, Ids } from "../domain/kernel/clock.ts";
import type { HeadOfficeLink } from "../server/head-office/link.ts";
import type { SyncView } from "../views/devices/head-office.tsx";
import { batchAcked, batchOf, batchRefused, gapDetails, INSTALLATION_HEADER, OUTBOX_HEAD_HEADER, outboxHeadText, STORE_ID_HEADER } from "./contracts.ts";
import { STORE_FACTS_PATH, type StoreFacts } from "./store-facts-contracts.ts";

export type HqLink = HeadOfficeLink;

/** How sending stands: what the Devices page shows (SyncView), and the epoch this database sends under. */
export type SyncStatus = SyncView & { epoch: string };

const MIN_BATCH = 1;
const MAX_BATCH = 1000;
const MAX_BACKOFF_MS = 60_000;
/** While head office has not accepted this database's epoch, ask again this often: a person there decides. */
const EPOCH_RETRY_MS = 60_000;
/** Facts head office could not take (away, or busy): told again after this long. */
const FACTS_RETRY_MS = 60_000;

type OutboxRow = { seq: number; kind: string; ref: string; payload: string; hash: string };

export function uploader(deps: {
  db: Database;
  clock: Clock;
  ids: Ids;
  link: () => HqLink | null;
  fetch?: typeof fetch;
  random?: () => number;
  /** What the store tells head office about itself (its time zone, its journal's public key): told before batches. */
  facts?: () => StoreFacts;
}) {
  const { db, clock, ids } = deps;
  const doFetch = deps.fetch ?? fetch;
  const random = deps.random ?? Math.random;
  const state = db.query<{ epoch: string; acked_seq: number; previous_epoch: string | null; epoch_reason: string | null; installation_id: string | null }, []>(
    "SELECT epoch, acked_seq, previous_epoch, epoch_reason, installation_id FROM sync_state WHERE id = 1",
  );
  const newEpoch = db.query(
    "UPDATE sync_state SET previous_epoch = epoch, epoch = ?, acked_seq = 0, epoch_started_at = ?, epoch_reason = ? WHERE id = 1 AND epoch = ?",
  );
  const rows = db.query<OutboxRow, [number, number]>("SELECT seq, kind, ref, payload, hash FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
  const lastSeq = db.query<{ top: number | null }, []>("SELECT max(seq) AS top FROM outbox");
  // never moves backwards: a late answer to an older batch cannot undo a newer ack
  const ack = db.query("UPDATE sync_state SET acked_seq = max(acked_seq, ?) WHERE id = 1");
  const rewind = db.query("UPDATE sync_state SET acked_seq = ? WHERE id = 1");

  let batch = 100;
  let failures = 0;
  let notBefore = 0;
  let lastContactAt: string | null = null;
  let lastError: string | null = null;
  let epochRefused = false;
  let cloneRefused = false;
  let running: Promise<number> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = true;
  // the facts head office has taken (or refused for good) from this process, with the link they were told over
  let toldFacts: string | null = null;
  let factsNotBefore = 0;

  function backOff(ms?: number): void {
    failures++;
    // exponential with jitter, so a hundred stores coming back together do not arrive together
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 6));
    notBefore = clock.now().getTime() + (ms ?? Math.round(base / 2 + (random() * base) / 2));
  }

  /**
   * Tell head office the store's facts when this process has not yet, or they changed since (a new time zone). Never in
   * the way of the sales: whatever head office answers, the batches go on. A refusal (a zone head office does not know)
   * is shown at head office on the store's row and not repeated until the facts change; a head office from before
   * store facts answers 404, the same.
   */
  async function tellFacts(link: HqLink): Promise<void> {
    if (!deps.facts || clock.now().getTime() < factsNotBefore) return;
    const body = JSON.stringify(deps.facts());
    const told = `${link.url}\n${link.storeId}\n${body}`;
    if (told === toldFacts) return;
    try {
      const res = await doFetch(new URL(STORE_FACTS_PATH, link.url), {
        method: "PUT",
        headers: { ...syncHeaders(db, clock, link), "Content-Type": "application/json" },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.body?.cancel();
      if (res.ok || [400, 404, 413, 415, 422].includes(res.status)) toldFacts = told;
      else factsNotBefore = clock.now().getTime() + FACTS_RETRY_MS;
    } catch {
      factsNotBefore = clock.now().getTime() + FACTS_RETRY_MS;
    }
  }

  /** Send what is waiting, batch after batch, until nothing is left or head office cannot take more. */
  async function drain(): Promise<number> {
    let sent = 0;
    const first = deps.link();
    if (first && clock.now().getTime() >= notBefore) await tellFacts(first);
    for (;;) {
      const link = deps.link();
      if (!link || clock.now().getTime() < notBefore) return sent;
      const s = state.get()!;
      const items = rows.all(s.acked_seq, batch);
      if (items.length === 0) return sent;
      // the outbox top, so head office can show how many items wait here
      const body = JSON.stringify(batchOf(link.storeId, s.epoch, items, lastSeq.get()?.top ?? 0, s.installation_id ?? undefined));
      let res: Response;
      try {
        res = await doFetch(new URL("/sync/v1/batches", link.url), {
          method: "POST",
          headers: { ...syncHeaders(db, clock, link), "Content-Type": "application/json" },
          body,
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        lastError = `head office not reachable: ${e instanceof Error ? e.message : String(e)}`;
        backOff();
        return sent;
      }
      lastContactAt = clock.now().toISOString();
      const answer: unknown = await res.json().catch(() => null);
      const acked = res.status === 200 ? batchAcked.safeParse(answer).data : undefined;
      const refused = batchRefused.safeParse(answer).data?.error;
      if (acked) {
        epochRefused = false;
        cloneRefused = false;
        const top = lastSeq.get()?.top ?? 0;
        const changed = acked.changed?.length ?? 0;
        if (acked.acked_through > top || changed > 0) {
          // Head office holds more of this epoch than this database has written, or other contents under our sequence
          // numbers: this database is an older copy (restored from a backup) or a second copy of it. Its items would
          // reuse sequence numbers head office already holds, so it starts a new epoch, which head office reports
          // and a person there accepts; nothing is merged silently.
          const reason =
            changed > 0
              ? `head office holds other contents for ${changed} of this database's sequence numbers in epoch ${s.epoch}`
              : `head office holds items up to ${acked.acked_through} of epoch ${s.epoch}; this database ends at ${top}`;
          newEpoch.run(ids.next(), clock.now().toISOString(), reason, s.epoch);
          lastError = `this database is an older copy (restored?): ${reason}; sending under a new epoch`;
          continue;
        }
        // Only what this batch carried counts as acknowledged here: head office may hold more of this epoch (a reply
        // lost earlier, or an older copy of this database that sold on), and the items past the batch must still be
        // compared with what head office holds, so that a copy's different items are named `changed`.
        ack.run(Math.min(acked.acked_through, items.at(-1)!.seq));
        sent += items.length;
        failures = 0;
        lastError = null;
        batch = Math.min(MAX_BATCH, batch * 2);
        continue;
      }
      if (res.status === 413) {
        batch = Math.max(MIN_BATCH, Math.floor(batch / 2));
        continue;
      }
      if (res.status === 409 && refused?.code === "store_clone") {
        // head office knows this store's credentials from another installation: nothing is sent until it decides
        cloneRefused = true;
        epochRefused = false;
        lastError = refused.message || "head office knows this store from another installation";
        notBefore = clock.now().getTime() + EPOCH_RETRY_MS;
        return sent;
      }
      if (res.status === 409 && refused?.code === "epoch_mismatch") {
        epochRefused = true;
        cloneRefused = false;
        lastError = refused.message || "head office knows this store under another database epoch";
        notBefore = clock.now().getTime() + EPOCH_RETRY_MS;
        return sent;
      }
      const gap = res.status === 409 && refused?.code === "gap" ? gapDetails.safeParse(refused.details).data : undefined;
      if (gap) {
        // head office has less than we thought (its database was restored): send again from where it stands
        rewind.run(Math.max(0, gap.expected_from_seq - 1));
        continue;
      }
      const retryAfter = Number(res.headers.get("Retry-After"));
      lastError = `head office answered ${res.status}${refused?.message ? `: ${refused.message}` : ""}`;
      backOff(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
      if (res.status >= 400 && res.status < 500 && res.status !== 429) batch = Math.max(MIN_BATCH, Math.floor(batch / 2));
      return sent;
    }
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().finally(() => schedule(1000));
    }, ms);
  }

  function tick(): Promise<number> {
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    tick,
    /** Send now, without waiting out a back-off or the pause after a refused epoch (a manager's "Send now"). */
    sendNow(): Promise<number> {
      notBefore = 0;
      return tick();
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    status(): SyncStatus {
      const s = state.get()!;
      const top = lastSeq.get()?.top ?? 0;
      return {
        epoch: s.epoch,
        ackedSeq: s.acked_seq,
        lastSeq: top,
        pending: top - s.acked_seq,
        lastContactAt,
        lastError,
        epochRefused,
        cloneRefused,
        installationId: s.installation_id,
        previousEpoch: s.previous_epoch,
        epochReason: s.epoch_reason,
      };
    },
  };
}

export type Uploader = ReturnType<typeof uploader>;

/**
 * The headers of every exchange with head office: the token, the store's id (so head office can say a wrong token on
 * this store's row) and the outbox head (what waits here, and since when: head office's lag is counted from it).
 */
export function syncHeaders(db: Database, clock: Clock, link: HqLink): Record<string, string> {
  const head = db
    .query<{ top: number | null; acked: number; oldest: string | null; installation: string | null }, []>(
      `SELECT (SELECT max(seq) FROM outbox) AS top, s.acked_seq AS acked, s.installation_id AS installation,
        (SELECT created_at FROM outbox WHERE seq > s.acked_seq ORDER BY seq LIMIT 1) AS oldest
      FROM sync_state s WHERE s.id = 1`,
    )
    .get();
  const top = head?.top ?? 0;
  const made = head?.oldest ? Date.parse(head.oldest) : Number.NaN;
  const waitingSeconds = Number.isFinite(made) ? Math.max(0, Math.floor((clock.now().getTime() - made) / 1000)) : 0;
  return {
    Authorization: `Bearer ${link.token}`,
    [STORE_ID_HEADER]: link.storeId,
    [OUTBOX_HEAD_HEADER]: outboxHeadText({ top, waitingSeconds }),
    // the first exchange binds the store to this installation at head office, a catalog pull before any sale included
    ...(head?.installation ? { [INSTALLATION_HEADER]: head.installation } : {}),
  };
}
