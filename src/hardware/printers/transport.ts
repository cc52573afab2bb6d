// The one printer interface: every link to a receipt printer (TCP, USB, serial, virtual) looks like this.
import { readSync, writeSync } from "node:fs";
import { isStatusReply, type PrinterStatus } from "./status.ts";

export type { PrinterStatus } from "./status.ts";

export interface Transport {
  /** Where the bytes go, for logs and the back office, e.g. "tcp 192.168.1.50:9100". */
  readonly description: string;
  /** Resolves when every byte is handed to the OS or the printer; rejects with PrinterError. */
  send(bytes: Uint8Array): Promise<void>;
  /** DLE EOT polling where the link answers; null when the link cannot answer (one-way, or the printer is silent). */
  status(): Promise<PrinterStatus | null>;
  close(): Promise<void>;
}

/**
 * A printing failure with a code the print queue acts on and a sentence a cashier acts on.
 * offline: nobody there (switched off, unplugged, connection refused) — retry later.
 * timeout: the printer stopped taking bytes or answering in time — retry later.
 * refused: the OS will not let us use the device (permissions, in use by another program) — a person must fix it.
 * paper_out, cover_open: the printer says so.
 * io: anything else on the way, including a connection that dropped mid-job.
 */
export class PrinterError extends Error {
  constructor(
    readonly code: "offline" | "timeout" | "refused" | "paper_out" | "cover_open" | "io",
    message: string,
  ) {
    super(message);
    this.name = "PrinterError";
  }
}

/** The status to show for a printer we could not reach at all. */
export function unreachableStatus(error: string): PrinterStatus {
  return { online: false, paper: "unknown", coverOpen: null, drawerOpen: null, error };
}

/**
 * Runs tasks one after another: a printer link carries one job or one status poll at a time,
 * so a status reply is never mixed into a job and a job is never interleaved with another.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Error code of a Node-style system error ("ENOENT", "EAGAIN"...), or undefined. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return undefined;
}

// Helpers for the transports that are file descriptors (usb-lp, serial). Both open their device non-blocking
// and wait in small sleeps, so a printer that stops taking bytes never blocks the event loop (and every register).

const tryAgain = (e: unknown) => errnoCode(e) === "EAGAIN" || errnoCode(e) === "EWOULDBLOCK";

/** Write every byte to a non-blocking fd; `onStall(sent)` is thrown after `stallMs` without progress. */
export async function writeAllToFd(fd: number, bytes: Uint8Array, stallMs: number, onStall: (sent: number) => Error): Promise<void> {
  let offset = 0;
  let pause = 1;
  let deadline = Date.now() + stallMs;
  while (offset < bytes.length) {
    let written = 0;
    try {
      written = writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      if (!tryAgain(e)) throw e;
    }
    if (written > 0) {
      offset += written;
      pause = 1;
      deadline = Date.now() + stallMs;
      continue;
    }
    if (Date.now() >= deadline) throw onStall(offset);
    await Bun.sleep(pause);
    pause = Math.min(pause * 2, 50);
  }
}

/**
 * Collect DLE EOT replies from a non-blocking fd until `count` arrived or `ms` passed.
 * null when the fd cannot be read at all (a one-way link); other bytes on the line are skipped.
 */
export async function readRepliesFromFd(fd: number, count: number, ms: number): Promise<number[] | null> {
  const replies: number[] = [];
  const buffer = new Uint8Array(64);
  const deadline = Date.now() + ms;
  while (replies.length < count) {
    let got = 0;
    try {
      got = readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      if (!tryAgain(e)) return replies.length > 0 ? replies : null;
    }
    for (const byte of buffer.subarray(0, got)) if (isStatusReply(byte)) replies.push(byte);
    if (got > 0) continue;
    if (Date.now() >= deadline) break;
    await Bun.sleep(10);
  }
  return replies;
}
