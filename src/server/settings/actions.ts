// Changing the store's settings: what the person changed is kept in one transaction, with an audit row for each setting
// changed (from what, to what, and whence), or nothing at all — nothing either when someone else changed one of those
// settings since the person's page was drawn.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { isSecret, keptValue, type SettingName, settingKey } from "./rules.ts";
import { readSettings, writeSetting } from "./settings.ts";

/** Who changes settings: a signed-in manager from any browser, or the command line (no one). */
export type SettingsActor = { userId: number | null; userName: string | null; registerName: string | null };

/** One setting changed, as kept before and after. */
export type SettingChange = { name: SettingName; from: string; to: string };

/** A setting the person changed that someone else had changed since their page showed it: as it was shown, and now. */
export type SettingConflict = { name: SettingName; shown: string; now: string };

/** The changes made; or, when someone else got there first, the settings both changed, and nothing written. */
export type SettingsChanged = { changes: SettingChange[] } | { conflicts: SettingConflict[] };

export type SettingsActionDeps = { db: Database; clock: Clock; audit: AuditLog };

/** Every settings row as it is. */
export function settingRows(db: Database): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const r of db.query<{ key: string; value: string }, []>("SELECT key, value FROM settings").all()) rows[r.key] = r.value;
  return rows;
}

export function settingsActions(deps: SettingsActionDeps) {
  const { db, clock, audit } = deps;
  const tx = inOneTransaction(db);
  const hasSold = db.query("SELECT 1 FROM sales LIMIT 1");

  return {
    /**
     * Keep the settings given (as kept, checked by their rules) that the person changed, each with its audit row, all or
     * nothing: the changes made, in the order given. `shown` is what the person's page showed (as kept): a setting
     * given as shown was not changed by them and is left as it is now, whoever changed it since; one they changed that
     * is no longer as shown was changed by someone else meanwhile, and nothing is written. A setting with nothing shown
     * (the command line) is compared with the settings as they are.
     */
    change: tx(
      (
        who: SettingsActor,
        wanted: Partial<Record<SettingName, string>>,
        via: "settings page" | "command line" | "store set-up page",
        shown: Partial<Record<SettingName, string>> = {},
      ): SettingsChanged => {
        const settings = readSettings(db);
        const rows = settingRows(db);
        const changed: SettingChange[] = [];
        const conflicts: SettingConflict[] = [];
        for (const [name, to] of Object.entries(wanted) as [SettingName, string | undefined][]) {
          if (to === undefined) continue;
          const from = keptValue(name, settings, rows);
          const was = shown[name] ?? from;
          if (to === was || to === from) continue; // not changed by this person, or already as they want it
          if (was !== from) conflicts.push({ name, shown: was, now: from });
          else changed.push({ name, from, to });
        }
        if (conflicts.length > 0) return { conflicts };
        for (const { name, from, to } of changed) {
          // amounts already kept are in the old currency: a store chooses it before its first sale
          if (name === "currency" && hasSold.get()) {
            throw new Problem("invalid_input", `The currency cannot change once the store has sold: its sales, shifts and reports are in ${from}.`);
          }
          writeSetting(db, settingKey(name), to);
          const secret = isSecret(name);
          audit.record({
            at: clock.now().toISOString(),
            userId: who.userId,
            userName: who.userName,
            register: who.registerName,
            action: "settings.changed",
            subject: settingKey(name),
            detail: { value: secret ? "(secret)" : to, from: secret ? "(secret)" : from, via },
          });
        }
        return { changes: changed };
      },
    ),
  };
}

export type SettingsActions = ReturnType<typeof settingsActions>;
