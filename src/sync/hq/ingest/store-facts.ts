// What a store tells head office about itself (PUT /sync/v1/store-facts, sync/contracts.ts): its time zone and the
// public key that signs its journal's closures. Checked field by field, each refusal with its own code and sentence,
// before anything is written; then taken in one transaction under the store's lock: a zone learned or changed puts
// the store's hour rollup on its clock, a new key is kept beside the old ones, audited, and checks the closures that
// waited for it.
import postgres from "postgres";
import { Problem } from "../../../domain/kernel/problem.ts";
import { ed25519PublicKey, fingerprintOf } from "../../../server/platform/journal-signature.ts";
import { type StoreFacts, storeFactsFields } from "../../store-facts-contracts.ts";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";
import { checkWaitingClosures } from "../journal/signatures.ts";
import { rebuildStoreHours } from "../reports/store-hours.ts";
import { storeLock } from "./store-lock.ts";

/** The most journal keys one store may tell: each is a new way its closures may be signed. */
export const MAX_JOURNAL_KEYS = 20;

/** The facts as sent, or the problem with the first field that is wrong. */

export function readStoreFacts(input: unknown): StoreFacts {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new Problem("invalid_request", "The store's facts are a JSON object: {time_zone, journal_key}.");
  }
  const o = input as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !Object.hasOwn(storeFactsFields, k));
  if (unknown.length > 0) {
    // named back (and on the store's page, as its last error) only when it is a plain name: a key is any text the sender chose
    const field = /^[A-Za-z_]{1,40}$/.test(unknown[0]!) ? unknown[0]! : null;
    throw new Problem(
      "invalid_request",
      `Head office does not know ${field ? `the field ${field}` : "one of the fields sent"}.`,
      field ? { field } : undefined,
    );
  }
  const zone = storeFactsFields.time_zone.safeParse(o.time_zone);
  if (!zone.success) {
    throw new Problem("invalid_time_zone", "time_zone is the IANA name of the store's time zone, like Europe/Paris or America/New_York.", {
      field: "time_zone",
    });
  }
  const key = storeFactsFields.journal_key.safeParse(o.journal_key);
  if (!key.success) {
    throw new Problem(
      "invalid_journal_key",
      "journal_key is the public half of the store's journal key: an Ed25519 public key as PEM (BEGIN PUBLIC KEY), as 'shopflow journal key' prints it.",
      { field: "journal_key" },
    );
  }
  return { time_zone: zone.data, ...(key.data !== undefined ? { journal_key: key.data } : {}) };
}

export type FactsTaken = { time_zone: string; zone_changed: boolean; journal_key: string | null; key_new: boolean };

/** Take what the store said: null when the store is not registered. */
export async function learnStoreFacts(sql: HqSql, storeId: string, facts: StoreFacts): Promise<FactsTaken | null> {
  const key = facts.journal_key === undefined ? null : ed25519PublicKey(facts.journal_key);
  const fingerprint = key ? fingerprintOf(key) : null;
  // the name this runtime and PostgreSQL both read the same way: a zone PostgreSQL does not know is refused, not stored
  const zone = new Intl.DateTimeFormat("en", { timeZone: facts.time_zone }).resolvedOptions().timeZone;
  const known = await sql`SELECT now() AT TIME ZONE ${zone}::text`.then(
    () => true,
    (e: unknown) => {
      if (e instanceof postgres.PostgresError && e.code === "22023") return false; // time zone not recognized
      throw e;
    },
  );
  if (!known) {
    throw new Problem("invalid_time_zone", `Head office's database does not know the time zone ${facts.time_zone}; name the zone as the IANA database does.`, {
      field: "time_zone",
    });
  }
  return sql.begin(async (tx) => {
    await storeLock(tx, storeId);
    const [store] = await tx<{ name: string; time_zone: string | null; hours_zone: string | null }[]>`
      SELECT st.name, f.time_zone, f.hours_zone FROM stores st LEFT JOIN store_facts f ON f.store_id = st.store_id
      WHERE st.store_id = ${storeId}::uuid`;
    if (!store) return null;
    const zoneChanged = store.time_zone !== zone;
    if (zoneChanged) {
      await tx`INSERT INTO store_facts (store_id, time_zone, hours_zone, zone_changed_at) VALUES (${storeId}::uuid, ${zone}, ${zone}, now())
        ON CONFLICT (store_id) DO UPDATE SET time_zone = excluded.time_zone, zone_changed_at = now()`;
      await hqAudit(tx, {
        who: `store ${store.name}`,
        action: "store.time_zone_changed",
        storeId,
        subject: `time zone of store ${store.name}`,
        before: store.time_zone === null ? null : { time_zone: store.time_zone },
        after: { time_zone: zone },
      });
    }
    // the hours kept on another clock are made again on the store's (the first time too: they were on head office's)
    if (store.hours_zone !== zone) await rebuildStoreHours(tx, storeId, zone);
    let keyNew = false;
    if (key && fingerprint) {
      const told = await tx<{ fingerprint: string }[]>`SELECT fingerprint FROM store_journal_keys WHERE store_id = ${storeId}::uuid ORDER BY first_told_at`;
      keyNew = !told.some((k) => k.fingerprint === fingerprint);
      // a store makes a new key only when its data folder is lost: a token that keeps telling new ones is not one store
      if (keyNew && told.length >= MAX_JOURNAL_KEYS) {
        throw new Problem(
          "too_many_journal_keys",
          `This store has told head office ${told.length} journal keys already; a store makes a new one only when its data folder is lost. Check which PCs use this store's token (the store's page lists them) and rotate it.`,
        );
      }
      await tx`INSERT INTO store_journal_keys (store_id, fingerprint, public_pem) VALUES (${storeId}::uuid, ${fingerprint}, ${facts.journal_key!})
        ON CONFLICT (store_id, fingerprint) DO UPDATE SET last_told_at = now()`;
      if (keyNew) {
        // security-relevant: a store's closures can be signed by this key from now on
        await hqAudit(tx, {
          who: `store ${store.name}`,
          action: told.length === 0 ? "store.journal_key_told" : "store.journal_key_changed",
          storeId,
          subject: `journal key ${fingerprint.slice(0, 16)}… of store ${store.name}`,
          before: told.length === 0 ? null : { keys: told.map((k) => k.fingerprint) },
          after: { fingerprint },
        });
        await checkWaitingClosures(tx, storeId);
      }
    }
    return { time_zone: zone, zone_changed: zoneChanged, journal_key: fingerprint, key_new: keyNew };
  });
}
