// What the Devices page shows of backups, from the status file and the settings.
import type { Database } from "bun:sqlite";
import { dirname } from "node:path";
import type { BackupsView } from "../../views/devices/backups.tsx";
import { backupSettings } from "./settings.ts";
import { backupWarning, readBackupStatus } from "./status.ts";

export function backupsView(db: Database, now: Date): BackupsView {
  const rows: Record<string, string> = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings WHERE key LIKE 'backup_%' OR key = 'time_zone'").all())
    rows[r.key] = r.value;
  const settings = backupSettings(rows, dirname(db.filename));
  const s = readBackupStatus(db.filename);
  return {
    last: s.last ? { at: s.last.at, file: s.last.file, bytes: s.last.bytes, sales: s.last.sales } : null,
    warning: backupWarning(s, now, settings.time),
    time: settings.time,
    folder: settings.folder,
    uploaded: s.uploaded,
    uploadFailed: s.uploadFailed,
  };
}
