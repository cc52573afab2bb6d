// A store's backup copies on its pages: the list for anyone who sees the store, the download for admins, audited; and
// head office's limits on the copies (how many kept per store, how large), set there by an admin who sees every store.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import { readForm } from "../../../server/platform/http/form.ts";
import { render } from "../../../server/platform/http/render.ts";
import { saidLocation, saidOf } from "../../../server/platform/http/said.ts";
import { StoreBackupsPage } from "../../../views/hq/store-backups.tsx";
import { hqAudit } from "../audit/audit.ts";
import type { HqDeps, HqEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { onlySeenStore, storeFilterOf } from "../people/store-filter.ts";
import { backupLimitsProblem, backupStream, findBackup, listBackups, megabytes, readBackupLimits, setBackupLimits } from "./backups.ts";

const ID = "/:id{[0-9a-fA-F-]{36}}";

// whole numbers as typed: the bounds are checked by backupLimitsProblem, with the sentence that says them
const limitsForm = z.object({ copies_kept: z.string().trim().default(""), max_mb: z.string().trim().default("") });
const whole = (typed: string) => (/^\d{1,7}$/.test(typed) ? Number(typed) : Number.NaN);

export function storeBackupRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const app = new Hono<HqEnv>();
  app.use(`${ID}/backups`, onlySeenStore);
  app.use(`${ID}/backups/*`, onlySeenStore);
  const storeName = async (id: string) => {
    const [s] = await sql<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ${id}::uuid`;
    if (!s) throw new Problem("store_not_found", "This store is not registered at head office.");
    return s.name;
  };
  const page = async (c: Context<HqEnv>, o: { message?: string; refused?: { text: string; typed: { kept: string; mb: string } } } = {}) => {
    const id = c.req.param("id")!.toLowerCase();
    const name = await storeName(id);
    const [backups, limits] = await Promise.all([listBackups(sql, id), readBackupLimits(sql)]);
    return render(
      c,
      <StoreBackupsPage
        storeId={id}
        storeName={name}
        backups={backups}
        limits={{ kept: limits.kept, maxMb: megabytes(limits.maxBytes), changedAt: limits.changedAt, changedBy: limits.changedBy }}
        canSetLimits={c.get("user")?.role === "admin" && storeFilterOf(c) === null}
        message={o.message}
        refused={o.refused}
      />,
      o.refused ? 422 : 200,
    );
  };

  app.get(`${ID}/backups`, (c) => page(c, { message: saidOf(c, clock.now(), 200) }));

  // the limits hold for every store: an admin limited to some stores may not set them for the others
  app.post(`${ID}/backups/limits`, requireRole("admin"), async (c) => {
    if (storeFilterOf(c) !== null) throw new Problem("forbidden", "The backup limits hold for every store; an admin who sees every store sets them.");
    await storeName(c.req.param("id").toLowerCase()); // a form posted for no registered store sets nothing
    const f = limitsForm.safeParse(await readForm(c));
    const typed = f.success ? { kept: f.data.copies_kept, mb: f.data.max_mb } : { kept: "", mb: "" };
    const kept = whole(typed.kept);
    const maxBytes = whole(typed.mb) * 1_048_576;
    const problem = backupLimitsProblem(kept, maxBytes);
    if (problem) return page(c, { refused: { text: problem, typed } });
    const done = await setBackupLimits(sql, { kept, maxBytes }, c.get("user")!.name);
    const said = !done.changed
      ? "The limits were already those; nothing changed."
      : `Limits saved: ${kept} ${kept === 1 ? "copy" : "copies"} kept per store, each at most ${typed.mb} MB${done.removed ? `; ${done.removed} older ${done.removed === 1 ? "copy" : "copies"} removed` : ""}.`;
    return c.redirect(saidLocation(`/stores/${c.req.param("id").toLowerCase()}/backups`, said, clock.now()), 303);
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
