// The server's nightly backup on a test clock: it waits for the backup time, catches up a missed night, keeps the
// files rotation says, records a failure with its reason (the Devices page warns), tries again an hour on, and the
// backup settings are checked by the settings rules.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupDue, nightlyBackups } from "../../src/server/backups/nightly.ts";
import { backupSettings } from "../../src/server/backups/settings.ts";
import { readBackupStatus } from "../../src/server/backups/status.ts";
import { checkSetting } from "../../src/server/settings/rules.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { makeTestStore, signIn } from "../helpers/store.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "shopflow-nightly-"));
  dirs.push(d);
  return d;
};

test("backups run at the store's backup time, a missed night runs at the next look, and rotation keeps 3 daily and 2 weekly", async () => {
  const t = makeTestStore();
  const folder = tempDir();
  try {
    writeSetting(t.store.db, "backup_folder", folder);
    writeSetting(t.store.db, "backup_keep_daily", "3");
    writeSetting(t.store.db, "backup_keep_weekly", "2");
    t.clock.current = new Date("2026-11-01T10:00:00Z");
    const nightly = nightlyBackups({ db: t.store.db, clock: t.clock });
    // a first start in the day waits for tonight
    expect(nightly.check()).toBeNull();
    t.clock.current = new Date("2026-11-02T02:29:00Z");
    expect(nightly.check()).toBeNull();
    for (let day = 2; day <= 20; day++) {
      // the PC was off on the night of the 10th: that backup is made when the server looks again at 09:00
      const at = day === 10 ? "09:00" : "02:30";
      t.clock.current = new Date(`2026-11-${String(day).padStart(2, "0")}T${at}:00Z`);
      const run = nightly.check();
      expect(run).not.toBeNull();
      expect((await run!).ok).toBe(true);
      t.clock.advance(60_000);
      expect(nightly.check()).toBeNull(); // one a night
    }
    const label = readdirSync(folder)[0]!.split("-2026")[0];
    // 16 November 2026 is a Monday: last week's newest is the 15th
    expect(readdirSync(folder).sort()).toEqual(
      ["20261115T023000Z", "20261118T023000Z", "20261119T023000Z", "20261120T023000Z"].map((s) => `${label}-${s}.db.gz`),
    );
  } finally {
    t.close();
  }
}, 60_000);

test("a failed backup is recorded with its reason, the Devices page warns, and it is tried again an hour on", async () => {
  const t = makeTestStore();
  const blocked = join(tempDir(), "not-a-folder");
  writeFileSync(blocked, "a file where the USB disk's folder should be");
  try {
    writeSetting(t.store.db, "backup_folder", join(blocked, "shopflow"));
    t.clock.current = new Date("2026-11-01T10:00:00Z");
    const nightly = nightlyBackups({ db: t.store.db, clock: t.clock });
    // signed in afresh each time: the test clock jumps past a session's life
    const devices = async () => {
      const manager = await signIn(t.store, 9, { role: "manager", shift: false });
      const res = await t.app.request("/devices", { headers: manager.headers });
      expect(res.status).toBe(200);
      return res.text();
    };
    expect(await devices()).toContain("No backup has been made yet; the first one runs at 02:30.");

    t.clock.current = new Date("2026-11-02T02:30:00Z");
    const failed = await nightly.check()!;
    expect(failed.ok).toBe(false);
    expect(readBackupStatus(t.store.db.filename).failed?.problem).toContain("the backup folder");
    const page = await devices();
    expect(page).toContain('data-testid="backup-warning"');
    expect(page).toContain("The last backup failed: the backup folder");
    expect(page).toContain("check the disk is plugged in");

    t.clock.advance(30 * 60_000);
    expect(nightly.check()).toBeNull();
    // the disk is back: an hour after the failure it is tried again and the warning goes
    const folder = tempDir();
    writeSetting(t.store.db, "backup_folder", folder);
    t.clock.advance(31 * 60_000);
    const done = await nightly.check()!;
    expect(done.ok).toBe(true);
    const fine = await devices();
    expect(fine).not.toContain('data-testid="backup-warning"');
    expect(fine).toContain(folder);
    // two days later nothing new was made (the server was off): old
    t.clock.advance(2 * 86_400_000);
    expect(await devices()).toContain("The last backup is more than a day old");
  } finally {
    t.close();
  }
}, 60_000);

test("a night missed is made up before the next backup time comes; one made since is not made again", () => {
  const settings = backupSettings({ backup_time: "02:30" }, "/data");
  const status = (at: string | null) => ({
    last: at ? { file: "f", bytes: 1, dbBytes: 1, at, ms: 1, sales: 0 } : null,
    failed: null,
    uploaded: null,
    uploadFailed: null,
  });
  const since = new Date("2026-11-01T00:00:00Z");
  // the PC was off on the night of the 21st; it starts at 01:00 on the 22nd, before that night's time
  expect(backupDue(settings, status("2026-11-20T02:30:00Z"), new Date("2026-11-22T01:00:00Z"), since)).toBe(true);
  expect(backupDue(settings, status("2026-11-21T02:30:00Z"), new Date("2026-11-22T01:00:00Z"), since)).toBe(false);
  expect(backupDue(settings, status("2026-11-21T02:30:00Z"), new Date("2026-11-22T02:30:00Z"), since)).toBe(true);
  expect(backupDue({ ...settings, time: null }, status(null), new Date("2026-11-22T02:30:00Z"), since)).toBe(false);
});

test("the backup settings are checked as every setting is: what they take and the sentence when not", () => {
  const ctx = { currency: "EUR" };
  expect(checkSetting("backup_time", "2:05", ctx)).toEqual({ value: "02:05" });
  expect(checkSetting("backup_time", "OFF", ctx)).toEqual({ value: "off" });
  expect(checkSetting("backup_time", "25:00", ctx)).toEqual({
    refused: { code: "invalid_input", message: "The nightly backup time is a time of day such as 02:30 (24-hour clock), or off." },
  });
  expect(checkSetting("backup_folder", "/media/usb/shopflow", ctx)).toEqual({ value: "/media/usb/shopflow" });
  expect(checkSetting("backup_folder", "usb", ctx)).toMatchObject({ refused: { message: expect.stringContaining("a full path starting with /") } });
  expect(checkSetting("backup_keep_daily", "14", ctx)).toEqual({ value: "14" });
  expect(checkSetting("backup_keep_daily", "0", ctx)).toMatchObject({ refused: { message: expect.stringContaining("from 1 to 365") } });
  expect(checkSetting("backup_keep_weekly", "0", ctx)).toEqual({ value: "0" });
  expect(checkSetting("backup_keep_weekly", "lots", ctx)).toMatchObject({ refused: { message: expect.stringContaining("from 0 to 520") } });
  expect(checkSetting("backup_to_head_office", "1", ctx)).toEqual({ value: "1" });
  expect(checkSetting("backup_to_head_office", "yes", ctx)).toMatchObject({ refused: { code: "invalid_input" } });
});
