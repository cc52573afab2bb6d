// The server's nightly backup: at the store's backup time (settings), one backup in a worker thread so selling never
// waits, then rotation (keep N daily, M weekly), then, when asked, a copy to head office. A missed night (the PC was
// off) runs at the next start; a failed one (the USB disk unplugged) is tried again each hour, and the Devices page
// shows the reason meanwhile.
import type { Database } from "bun:sqlite";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Clock } from "../../domain/kernel/clock.ts";
import { type Logger, stderrLog } from "../platform/log/log.ts";
import type { BackupJob, BackupReply } from "./backup-worker.ts";
import { backupsToRemove } from "./rotation.ts";
import { type BackupSettings, backupSettings } from "./settings.ts";
import { readBackupStatus, updateBackupStatus } from "./status.ts";
import { BACKUP_NAME, type BackupDone, backupTime } from "./take.ts";

/** What one run came to: the backup made and the files rotation removed, or why there is none. */
export type BackupOutcome = { ok: true; done: BackupDone; removed: string[]; uploaded: boolean | null } | { ok: false; problem: string };

/** Sends a finished backup to head office; null when the store is not connected (nightly.ts does not know how). */
export type SendToHeadOffice = (file: string) => Promise<{ ok: true } | { ok: false; problem: string }> | null;

export type NightlyOptions = {
  db: Database;
  clock: Clock;
  sendToHeadOffice?: SendToHeadOffice;
  /** How often the time is looked at; a minute by default. */
  checkEveryMs?: number;
  workerUrl?: string;
  /** Where failures are said (default: stderr). */
  log?: Logger;
};

const RETRY_AFTER_FAILURE_MS = 3_600_000;

// From source the worker sits beside this file; the compiled binary holds it as another entry point (Makefile build).
function defaultWorkerUrl(): string {
  const beside = new URL("./backup-worker.ts", import.meta.url);
  return beside.pathname.startsWith("/$bunfs/") ? "/$bunfs/root/server/backups/backup-worker.ts" : beside.href;
}

/** "YYYY-MM-DD HH:MM" in the store's time zone: compared as text. */
function localStamp(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? "00";
  return `${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")}`;
}

function settingRows(db: Database): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings WHERE key LIKE 'backup_%' OR key = 'time_zone'").all())
    rows[r.key] = r.value;
  return rows;
}

/**
 * True when tonight's backup is due at `now`: past the backup time and none tried since (a failure: an hour on). A
 * store with no backup yet waits for its first backup time after `since` (when the schedule started), so a first start
 * in the day does not copy the database at once.
 */
export function backupDue(settings: BackupSettings, status: ReturnType<typeof readBackupStatus>, now: Date, since: Date): boolean {
  if (settings.time === null) return false;
  const nowLocal = localStamp(now, settings.timeZone);
  // the last backup time that has come: today's, or before it, yesterday's (missed when the PC was off)
  const today = `${nowLocal.slice(0, 10)} ${settings.time}`;
  const dueFrom = nowLocal >= today ? today : `${localStamp(new Date(now.getTime() - 86_400_000), settings.timeZone).slice(0, 10)} ${settings.time}`;
  const lastOk = localStamp(status.last ? new Date(status.last.at) : since, settings.timeZone);
  if (lastOk >= dueFrom) return false;
  const failedAt = status.failed ? Date.parse(status.failed.at) : null;
  if (failedAt !== null && localStamp(new Date(failedAt), settings.timeZone) >= dueFrom) return now.getTime() - failedAt >= RETRY_AFTER_FAILURE_MS;
  return true;
}

export function nightlyBackups(options: NightlyOptions) {
  const { db, clock } = options;
  const log = options.log ?? stderrLog;
  const dbPath = db.filename;
  const dataDir = dirname(dbPath);
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<BackupOutcome> | null = null;
  const since = clock.now();

  /** One backup in the worker thread. */
  function inWorker(job: BackupJob): Promise<BackupReply> {
    return new Promise((resolve) => {
      let worker: Worker | null = null;
      const finish = (reply: BackupReply) => {
        worker?.terminate();
        resolve(reply);
      };
      try {
        worker = new Worker(options.workerUrl ?? defaultWorkerUrl());
        worker.onmessage = (e: MessageEvent<BackupReply>) => finish(e.data);
        worker.onerror = (e) => finish({ ok: false, problem: `the backup stopped: ${e.message}` });
        worker.postMessage(job);
      } catch (e) {
        finish({ ok: false, problem: `the backup could not start: ${e instanceof Error ? e.message : String(e)}` });
      }
    });
  }

  /** Remove what rotation says goes among this store's backups in the folder; the names removed. */
  function rotate(settings: BackupSettings, made: string): string[] {
    const label = BACKUP_NAME.exec(made)?.[1];
    const ours = readdirSync(settings.folder)
      .filter((n) => BACKUP_NAME.exec(n)?.[1] === label)
      .map((name) => ({ name, at: backupTime(name)! }));
    const gone = backupsToRemove(ours, settings.keep, settings.timeZone);
    for (const name of gone) rmSync(join(settings.folder, name), { force: true });
    return gone;
  }

  async function run(): Promise<BackupOutcome> {
    const settings = backupSettings(settingRows(db), dataDir);
    const at = clock.now();
    const reply = await inWorker({ dbPath, folder: settings.folder, at: at.toISOString() });
    if (!reply.ok) {
      updateBackupStatus(dbPath, (s) => ({ ...s, failed: { at: at.toISOString(), problem: reply.problem } }));
      log.error("backup.failed", { msg: reply.problem });
      return reply;
    }
    updateBackupStatus(dbPath, (s) => ({ ...s, last: reply.done }));
    let removed: string[] = [];
    try {
      removed = rotate(settings, reply.done.file.split("/").at(-1)!);
    } catch (e) {
      log.error("backup.rotation_failed", { msg: "old backups were not removed", err: e });
    }
    let uploaded: boolean | null = null;
    const sending = settings.toHeadOffice ? (options.sendToHeadOffice?.(reply.done.file) ?? null) : null;
    if (sending) {
      const sent = await sending;
      uploaded = sent.ok;
      const when = clock.now().toISOString();
      updateBackupStatus(dbPath, (s) =>
        sent.ok ? { ...s, uploaded: { at: when, file: reply.done.file }, uploadFailed: null } : { ...s, uploadFailed: { at: when, problem: sent.problem } },
      );
    }
    return { ok: true, done: reply.done, removed, uploaded };
  }

  /** Back up now (the Devices page's button, the schedule); a second call while one runs gets the same run. */
  function runNow(): Promise<BackupOutcome> {
    running ??= run()
      .catch((e): BackupOutcome => {
        // the status file itself could not be written (a full disk): said in the log, never a crash of the server
        const problem = `the backup stopped: ${e instanceof Error ? e.message : String(e)}`;
        log.error("backup.failed", { msg: problem });
        return { ok: false, problem };
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  /** Look at the time once: the backup started when one is due (tests call it with their clock). */
  function check(): Promise<BackupOutcome> | null {
    if (running) return null;
    try {
      if (backupDue(backupSettings(settingRows(db), dataDir), readBackupStatus(dbPath), clock.now(), since)) return runNow();
    } catch (e) {
      log.error("backup.schedule_failed", { msg: "the nightly backup schedule failed", err: e });
    }
    return null;
  }

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(check, options.checkEveryMs ?? 60_000);
      check();
    },
    /** Stop looking at the time and wait for a backup under way to finish. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    runNow,
    check,
    /** Whether a backup is being made right now. */
    busy: () => running !== null,
  };
}

export type NightlyBackups = ReturnType<typeof nightlyBackups>;
