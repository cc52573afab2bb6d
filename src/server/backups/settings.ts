// The nightly backup's settings: when, where, how many to keep, and whether head office gets a copy. Their rules join
// the store's settings rules (settings/rules.ts), so the settings page and `shopflow settings set` check them alike.
import { isAbsolute, join } from "node:path";
import { textProblem } from "../../domain/kernel/text.ts";
import { oneOf, type Rule, refuse } from "../settings/readers.ts";

export const DEFAULT_BACKUP_TIME = "02:30";
export const DEFAULT_KEEP_DAILY = 7;
export const DEFAULT_KEEP_WEEKLY = 4;

const whole = (typed: string, min: number, max: number): number | null => {
  const v = typed.trim();
  return /^\d{1,4}$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : null;
};

export const backupSettingRules = {
  backup_time: {
    key: "backup_time",
    label: "Nightly backup time",
    help: `the store's time of day the server backs up its database, e.g. 02:30 (empty: ${DEFAULT_BACKUP_TIME}; off: no nightly backup)`,
    read: (typed) => {
      const v = typed.trim().toLowerCase();
      if (v === "" || v === "off") return v;
      const m = /^(\d{1,2}):(\d{2})$/.exec(v);
      return m && Number(m[1]) < 24 && Number(m[2]) < 60
        ? `${m[1]!.padStart(2, "0")}:${m[2]}`
        : refuse("The nightly backup time is a time of day such as 02:30 (24-hour clock), or off.");
    },
    words: (v) => (v === "" ? `${DEFAULT_BACKUP_TIME} (the default)` : v === "off" ? "off: no nightly backup" : v),
  },
  backup_folder: {
    key: "backup_folder",
    label: "Backup folder",
    help: "the folder backups are written to, e.g. a USB disk such as /media/usb/shopflow (empty: the backups folder in the data folder)",
    read: (typed) => {
      const v = typed.trim();
      return (
        textProblem(v, "The backup folder", { max: 500 }) ??
        (v === "" || isAbsolute(v) ? v : refuse("The backup folder is a full path starting with /, such as /media/usb/shopflow, or empty."))
      );
    },
    words: (v) => (v === "" ? "the backups folder in the data folder" : v),
  },
  backup_keep_daily: {
    key: "backup_keep_daily",
    label: "Daily backups kept",
    help: `how many days' backups are kept, 1 to 365 (empty: ${DEFAULT_KEEP_DAILY})`,
    read: (typed) =>
      typed.trim() === "" ? "" : String(whole(typed, 1, 365) ?? "") || refuse("Daily backups kept is a number of days from 1 to 365, such as 7."),
    words: (v) => (v === "" ? `${DEFAULT_KEEP_DAILY} (the default)` : v),
  },
  backup_keep_weekly: {
    key: "backup_keep_weekly",
    label: "Weekly backups kept",
    help: `how many weeks keep one backup each, 0 to 520 (empty: ${DEFAULT_KEEP_WEEKLY})`,
    read: (typed) =>
      typed.trim() === "" ? "" : String(whole(typed, 0, 520) ?? "") || refuse("Weekly backups kept is a number of weeks from 0 to 520, such as 4."),
    words: (v) => (v === "" ? `${DEFAULT_KEEP_WEEKLY} (the default)` : v),
  },
  backup_to_head_office: {
    key: "backup_to_head_office",
    label: "Send backups to head office",
    help: "1: each nightly backup is also sent to head office (when the store is connected); 0 or empty: kept here only",
    read: (typed, ctx) => (typed.trim() === "" ? "" : oneOf(["1", "0"], "Send backups to head office is 1 (yes) or 0 (no).")(typed, ctx)),
    words: (v) => (v === "1" ? "yes" : "no"),
  },
} satisfies Record<string, Rule>;

/** The backup settings as the scheduler uses them, defaults filled in. */
export type BackupSettings = { time: string | null; folder: string; keep: { daily: number; weekly: number }; toHeadOffice: boolean; timeZone: string };

export function backupSettings(rows: Readonly<Record<string, string>>, dataDir: string): BackupSettings {
  const time = rows.backup_time ?? "";
  return {
    time: time === "off" ? null : /^\d{2}:\d{2}$/.test(time) ? time : DEFAULT_BACKUP_TIME,
    folder: rows.backup_folder || join(dataDir, "backups"),
    keep: {
      daily: Number(rows.backup_keep_daily) || DEFAULT_KEEP_DAILY,
      weekly: rows.backup_keep_weekly ? Number(rows.backup_keep_weekly) : DEFAULT_KEEP_WEEKLY,
    },
    toHeadOffice: rows.backup_to_head_office === "1",
    timeZone: rows.time_zone || "UTC",
  };
}
