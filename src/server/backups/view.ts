// What the Devices page shows of backups, from the status file and the settings: whether one is being made, and what
// became of the one a manager started (`since`: when it was started).
import type { Database } from "bun:sqlite";
import { dirname } from "node:path";
import type { BackupsView } from "../../views/devices/backups.tsx";
import { backupSettings } from "./settings.ts";
import { backupWarning, readBackupStatus } from "./status.ts";

export function backupsView(db: Database, now: Date, o: { running?: boolean; since?: string | null } = {}): BackupsView {
  const rows: Record<string, string> = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings WHERE key LIKE 'backup_%' OR key = 'time_zone'").all())
    rows[r.key] = r.value;
  const settings = backupSettings(rows, dirname(db.filename));
  const s = readBackupStatus(db.filename);
  const running = o.running ?? false;
  const since = o.since && !Number.isNaN(Date.parse(o.since)) ? new Date(o.since).toISOString() : null;
  return {
    last: s.last ? { at: s.last.at, file: s.last.file, bytes: s.last.bytes, sales: s.last.sales } : null,
    warning: backupWarning(s, now, settings.time),
    time: settings.time,
    folder: settings.folder,
    uploaded: s.uploaded,
    uploadFailed: s.uploadFailed,
    running,
    since: running ? since : null,
    said: running || since === null ? null : outcome(s, since),
  };
}

/** What the backup started at `since` came to, once it is over: made (and where), or failed (the warning says why). */
function outcome(s: ReturnType<typeof readBackupStatus>, since: string): BackupsView["said"] {
  const failedAt = s.failed?.at ?? "";
  const madeAt = s.last?.at ?? "";
  if (failedAt >= since && failedAt > madeAt) return { kind: "error", text: `The backup was not made: ${s.failed!.problem}.` };
  if (madeAt >= since) return { kind: "info", text: `Backup made: ${s.last!.file}.` };
  return null;
}
