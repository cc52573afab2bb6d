// "Back up now" on the Devices page: the nightly backup's own run (worker thread, rotation, the copy to head office when
// asked), started at once for a manager, with an audit row; refused while a backup is being made, whoever started it.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { BackupOutcome, NightlyBackups } from "./nightly.ts";

/** Who pressed the button: a signed-in manager, on a register or not. */
export type BackupActor = { userId: number | null; userName: string | null; registerName: string | null };

export type BackupStarted = { at: string; run: Promise<BackupOutcome> };

export const BACKUP_RUNNING_SENTENCE =
  "A backup is being made right now; this page shows its result when it is done. Press again after that if you need another.";

export function backUpNow(deps: { db: Database; clock: Clock; audit: AuditLog; backups: NightlyBackups }) {
  const { db, clock, audit, backups } = deps;
  const tx = inOneTransaction(db);
  /** Start a backup; the answer comes once the audit row is committed, the backup goes on in its thread. */
  return (who: BackupActor): BackupStarted => {
    if (backups.busy()) throw new Problem("backup_running", BACKUP_RUNNING_SENTENCE);
    const at = clock.now().toISOString();
    tx(() =>
      audit.record({
        at,
        userId: who.userId,
        userName: who.userName,
        register: who.registerName,
        action: "backup.started",
        subject: "store database",
        detail: {},
      }),
    )();
    // nothing awaits between the look and the start: no second run can begin in between
    return { at, run: backups.runNow() };
  };
}
