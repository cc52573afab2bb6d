// Where this store's head office is: address, the store's id there and its secret token, kept in settings.

import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { writeSetting } from "../settings/settings.ts";

export type HeadOfficeLink = { url: string; storeId: string; token: string };

const storeIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const linkChecks = {
  hq_url: (v: string) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  },
  hq_store_id: (v: string) => storeIdPattern.test(v),
  hq_token: (v: string) => /^\S{10,200}$/.test(v),
};

export function readHeadOfficeLink(db: Database): HeadOfficeLink | null {
  const get = (k: string) => db.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?").get(k)?.value;
  const url = get("hq_url");
  const token = get("hq_token");
  const storeId = get("hq_store_id");
  return url && token && storeId ? { url, token, storeId } : null;
}

/**
 * Connect the store (all three set; the token kept when left empty and the address is the same) or disconnect it (address empty). Refuses with a
 * sentence a manager can act on; writes nothing then.
 */
export function saveHeadOfficeLink(db: Database, input: { url: string; storeId: string; token: string }): HeadOfficeLink | null {
  const url = input.url.trim();
  const storeId = input.storeId.trim();
  // the kept token goes only to the address it was given for: a new address needs the token typed again
  const kept = readHeadOfficeLink(db);
  const token = input.token.trim() || (kept && kept.url === url ? kept.token : "");
  if (url === "") {
    db.transaction(() => {
      for (const k of ["hq_url", "hq_store_id", "hq_token"]) writeSetting(db, k, "");
    }).immediate();
    return null;
  }
  if (!linkChecks.hq_url(url)) throw new Problem("invalid_hq_url", "The head-office address must start with https:// or http://.");
  if (!linkChecks.hq_store_id(storeId))
    throw new Problem("invalid_hq_store_id", "The store id is the one 'shopflow hq store add' printed (8-4-4-4-12 hexadecimal).");
  if (!linkChecks.hq_token(token)) throw new Problem("invalid_hq_token", "Type the store's head-office token as 'shopflow hq store add' printed it.");
  db.transaction(() => {
    writeSetting(db, "hq_url", url);
    writeSetting(db, "hq_store_id", storeId);
    writeSetting(db, "hq_token", token);
  }).immediate();
  return { url, storeId, token };
}
