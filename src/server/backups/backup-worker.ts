// The backup worker thread (started by nightly.ts): takes one backup on its own connection, off the thread that
// answers the registers, and sends back what it made or why it could not.
import { lowerThisThreadsPriority } from "./low-priority.ts";
import { BackupFailed, takeBackup } from "./take.ts";

declare var self: Worker;

export type BackupJob = { dbPath: string; folder: string; at: string };
export type BackupReply = { ok: true; done: Awaited<ReturnType<typeof takeBackup>> } | { ok: false; problem: string };

self.onmessage = async (event: MessageEvent<BackupJob>) => {
  const { dbPath, folder, at } = event.data;
  lowerThisThreadsPriority();
  let reply: BackupReply;
  try {
    reply = { ok: true, done: await takeBackup(dbPath, { folder, at: new Date(at) }) };
  } catch (e) {
    reply = { ok: false, problem: e instanceof BackupFailed ? e.message : `the backup stopped: ${e instanceof Error ? e.message : String(e)}` };
  }
  postMessage(reply);
};
