// A store's backup copies on its pages: the list for anyone who sees the store, the download for admins, audited.
import { Hono } from "hono";
import { Problem } from "../../../domain/kernel/problem.ts";
import { render } from "../../../server/platform/http/render.ts";
import { StoreBackupsPage } from "../../../views/hq/store-backups.tsx";
import { hqAudit } from "../audit/audit.ts";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { onlySeenStore } from "../people/store-filter.ts";
import { BACKUPS_KEPT, backupStream, findBackup, listBackups, MAX_BACKUP_BYTES } from "./backups.ts";

const ID = "/:id{[0-9a-fA-F-]{36}}";

export function storeBackupRoutes(deps: HqDeps) {
  const { sql } = deps;
  const app = new Hono<HqEnv>();
  app.use(`${ID}/backups`, onlySeenStore);
  app.use(`${ID}/backups/*`, onlySeenStore);
  const storeName = async (id: string) => {
    const [s] = await sql<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ${id}::uuid`;
    if (!s) throw new Problem("store_not_found", "This store is not registered at head office.");
    return s.name;
  };

  app.get(`${ID}/backups`, async (c) => {
    const id = c.req.param("id").toLowerCase();
    const name = await storeName(id);
    const backups = await listBackups(sql, id);
    return render(c, <StoreBackupsPage storeId={id} storeName={name} backups={backups} kept={BACKUPS_KEPT} maxMb={MAX_BACKUP_BYTES / 1_048_576} />);
  });

  // a whole database of a store's sales: admins only, and each download written in the audit log before it starts
  app.get(`${ID}/backups/:backup{[0-9]{1,18}}`, requireRole("admin"), async (c) => {
    const id = c.req.param("id").toLowerCase();
    const name = await storeName(id);
    const b = await findBackup(sql, id, c.req.param("backup"));
    if (!b) throw new Problem("not_found", "That backup is not here (head office keeps only the last few); choose one from the list.");
    await sql.begin(async (tx) => {
      await hqAudit(tx, {
        who: c.get("user")!.name,
        action: "store.backup_downloaded",
        storeId: id,
        subject: `backup ${b.name} of ${name}`,
        after: { bytes: b.bytes, sha256: b.sha256 },
      });
    });
    return new Response(backupStream(sql, id, b.backup_id), {
      headers: {
        "Content-Type": "application/gzip",
        "Content-Length": String(b.bytes),
        "Content-Disposition": `attachment; filename="${b.name}"`,
        "Cache-Control": "no-store",
      },
    });
  });
  return app;
}
