// POST /sync/v1/backups: a store sends a copy of its database (gzipped, streamed, at most the size head office's limits
// say), with its token as for its batches. Mounted before the other sync routes, which take JSON only.
import { Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { bearerSecret } from "../../../server/platform/auth/bearer.ts";
import { STORE_ID_HEADER } from "../../contracts.ts";
import type { HqDeps } from "../people/guard.ts";
import { recordUnknownToken } from "../stores/contact.ts";
import { RETIRED_SENTENCE } from "../stores/retire.ts";
import { storeForSyncToken } from "../stores/rotate-token.ts";
import { backupNameProblem, megabytes, readBackupLimits, receiveBackup } from "./backups.ts";

/** The header the store names its copy in (server/backups/upload.ts). */
const NAME_HEADER = "ShopFlow-Backup-Name";

export function backupSyncRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono();
  app.post("/", async (c) => {
    const secret = bearerSecret(c.req.header("Authorization"));
    const owner = secret ? await storeForSyncToken(sql, secret, deps.clock.now()) : null;
    if (owner?.retired) throw new Problem("store_token_invalid", RETIRED_SENTENCE);
    if (!owner) {
      await recordUnknownToken(sql, c.req.header(STORE_ID_HEADER), c.req.path);
      throw new Problem("store_token_invalid", "This store's head-office token is unknown; register the store with 'shopflow hq store add'.");
    }
    if ((c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase() !== "application/gzip")
      throw new Problem("unsupported_media_type", "Head office takes backups gzipped, with the header Content-Type: application/gzip.");
    const length = c.req.header("Content-Length") ?? "";
    if (!/^\d{1,12}$/.test(length)) throw new Problem("bad_request", "Send the backup with its Content-Length, as 'shopflow backup' does.");
    const declared = Number(length);
    const { maxBytes } = await readBackupLimits(sql);
    if (declared > maxBytes)
      throw new Problem(
        "body_too_large",
        `The backup is larger than ${megabytes(maxBytes)} MB, the most head office takes; keep it on the store's disk, or ask head office's admin to raise the limit.`,
      );
    if (declared === 0) throw new Problem("bad_request", "The backup is empty; nothing was kept.");
    const name = c.req.header(NAME_HEADER);
    const wrongName = backupNameProblem(name);
    if (wrongName) throw new Problem("invalid_input", wrongName);
    const body = c.req.raw.body;
    if (!body) throw new Problem("bad_request", "The backup is empty; nothing was kept.");
    const kept = await receiveBackup(sql, owner.storeId, name!, body, declared, maxBytes);
    return c.json({ backup_id: kept.backup_id, name: kept.name, bytes: kept.bytes, sha256: kept.sha256 }, 201);
  });
  return app;
}
