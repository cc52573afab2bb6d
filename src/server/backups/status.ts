// What the Devices page says of backups: the last one made (when, size, where), the last failure and its reason, and
// the last copy head office took. Kept in a small file beside the database, not in it: a restored database must not
// claim backups it never saw, and a full or broken database must not stop the record of a failed backup.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BackupDone } from "./take.ts";

export type BackupStatus = {
  last: BackupDone | null;
  failed: { at: string; problem: string } | null;
  uploaded: { at: string; file: string } | null;
  uploadFailed: { at: string; problem: string } | null;
};

const empty: BackupStatus = { last: null, failed: null, uploaded: null, uploadFailed: null };

/** A backup older than this (about a day and two hours: last night's and some slack) is shown as a warning. */
export const STALE_AFTER_MS = 26 * 3_600_000;

export const statusPath = (dbPath: string) => join(dirname(dbPath), "backup-status.json");

export function readBackupStatus(dbPath: string): BackupStatus {
  try {
    const parsed = JSON.parse(readFileSync(statusPath(dbPath), "utf8")) as Partial<BackupStatus>;
    return { ...empty, ...parsed };
  } catch {
    return empty;
  }
}

/** Change the status file: written to a temp file and renamed, so a power cut leaves the old one or the new one. */
export function updateBackupStatus(dbPath: string, change: (s: BackupStatus) => BackupStatus): BackupStatus {
  const next = change(readBackupStatus(dbPath));
  const path = statusPath(dbPath);
  const temp = `${path}.part`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, JSON.stringify(next));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return next;
}

/** How the Devices page should show backups at `now`: fine (null), or a warning with its sentence. */
export function backupWarning(s: BackupStatus, now: Date, nightlyAt: string | null): string | null {
  const lastAt = s.last ? Date.parse(s.last.at) : null;
  if (s.failed && (lastAt === null || Date.parse(s.failed.at) > lastAt)) return `The last backup failed: ${s.failed.problem}.`;
  if (lastAt === null)
    return nightlyAt
      ? `No backup has been made yet; the first one runs at ${nightlyAt}. Press Back up now to make one.`
      : "No backup has been made yet and the nightly backup is off. Press Back up now, or set the nightly backup time.";
  if (now.getTime() - lastAt > STALE_AFTER_MS)
    return "The last backup is more than a day old: check the backup folder's disk is plugged in and the server runs at the nightly backup time.";
  return null;
}
