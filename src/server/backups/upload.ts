// Sending a finished backup to head office (when the store is connected and the setting asks for it): the gzipped file
// streamed as the body of POST /sync/v1/backups with the store's token, never read whole into memory.
import type { Database } from "bun:sqlite";
import { basename } from "node:path";
import { INSTALLATION_HEADER, STORE_ID_HEADER } from "../../sync/contracts.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import type { SendToHeadOffice } from "./nightly.ts";

/** Backup names and times head office is told in these headers (sync/hq/backups/routes.ts reads them). */
export const BACKUP_NAME_HEADER = "ShopFlow-Backup-Name";

export function sendBackupsToHeadOffice(db: Database, doFetch: typeof fetch = fetch): SendToHeadOffice {
  return (file) => {
    const link = readHeadOfficeLink(db);
    if (!link) return null;
    const installation = db.query<{ id: string | null }, []>("SELECT installation_id AS id FROM sync_state WHERE id = 1").get()?.id ?? null;
    return (async () => {
      const body = Bun.file(file);
      try {
        const res = await doFetch(new URL("/sync/v1/backups", link.url), {
          method: "POST",
          headers: {
            Authorization: `Bearer ${link.token}`,
            [STORE_ID_HEADER]: link.storeId,
            ...(installation ? { [INSTALLATION_HEADER]: installation } : {}),
            [BACKUP_NAME_HEADER]: basename(file),
            "Content-Type": "application/gzip",
            "Content-Length": String(body.size),
          },
          body,
          signal: AbortSignal.timeout(30 * 60_000),
        });
        if (res.ok) return { ok: true as const };
        const answer = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        return { ok: false as const, problem: `head office answered ${res.status}${answer?.error?.message ? `: ${answer.error.message}` : ""}` };
      } catch (e) {
        return { ok: false as const, problem: `head office not reachable: ${e instanceof Error ? e.message : String(e)}` };
      }
    })();
  };
}
