// A null-modem cable in software: socat joins two pseudo-terminals, so a test can open one end as "the serial
// printer port" and watch (and answer) on the other. The test starts socat and kills it in close().
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeviceRules, shopDeviceRules } from "../../src/hardware/printers/device-rules.ts";

/** A shop's device rules plus the pseudo-terminals socat makes (/dev/pts/N), which stand in for serial ports here. */
export const ptyDeviceRules: DeviceRules = {
  ...shopDeviceRules,
  paths: { ...shopDeviceRules.paths, serial: [...shopDeviceRules.paths.serial, /^\/dev\/pts\/\d+$/] },
  devices: { ...shopDeviceRules.devices, serial: [...shopDeviceRules.devices.serial, /^\/dev\/pts\/\d+$/] },
};

export type PtyPair = {
  /** The path our serial transport opens, like /dev/ttyUSB0. */
  printerSide: string;
  /** The far end, where the "printer" reads; the helper reads it for you. */
  readerSide: string;
  /** Everything that arrived at the printer end so far. */
  read(): Uint8Array;
  /** Wait until at least `count` bytes arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Uint8Array>;
  /** Send bytes back from the printer end (status replies). */
  write(bytes: Uint8Array): void;
  /** Forget what arrived so far. */
  clear(): void;
  close(): Promise<void>;
};

export async function openPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-pty-"));
  const printerSide = join(dir, "a");
  const readerSide = join(dir, "b");
  const proc = Bun.spawn(["socat", "-d", "-d", `pty,raw,echo=0,link=${printerSide}`, `pty,raw,echo=0,link=${readerSide}`], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });

  // socat says "starting data transfer loop" once both ends exist and it is copying
  const reader = proc.stderr.getReader();
  const decoder = new TextDecoder();
  let log = "";
  const deadline = Date.now() + 10_000;
  while (!log.includes("starting data transfer loop")) {
    const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => null)]);
    if (!chunk || chunk.done) {
      proc.kill(9);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`socat did not start: ${log}`);
    }
    log += decoder.decode(chunk.value);
  }
  // keep draining socat's log so it never blocks on a full pipe
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => null);
      if (!chunk || chunk.done) return;
    }
  })();

  const fd = openSync(readerSide, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  const parts: Uint8Array[] = [];
  let total = 0;
  const buffer = new Uint8Array(65536);
  const pump = (): void => {
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch {
        return; // EAGAIN: nothing more for now
      }
      if (n <= 0) return;
      parts.push(buffer.slice(0, n));
      total += n;
    }
  };
  // the far end must keep reading, or a big job fills the pty buffers and the writer stalls
  const timer = setInterval(pump, 2);

  const read = (): Uint8Array => {
    pump();
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };

  return {
    printerSide,
    readerSide,
    read,
    async waitFor(count, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        pump();
        if (total >= count) return read();
        await Bun.sleep(5);
      }
      throw new Error(`only ${total} of ${count} bytes arrived at the far end of the pty`);
    },
    write(bytes) {
      writeSync(fd, bytes);
    },
    clear() {
      pump();
      parts.length = 0;
      total = 0;
    },
    async close() {
      clearInterval(timer);
      closeSync(fd);
      proc.kill();
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
