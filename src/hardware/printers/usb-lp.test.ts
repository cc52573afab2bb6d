import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobBytes, rejection } from "../../../tests/helpers/printer-jobs.ts";
import { openPtyPair } from "../../../tests/helpers/pty.ts";
import { listUsbPrinters, usbLpTransport } from "./usb-lp.ts";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-usb-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("usbLpTransport with a plain file standing in for /dev/usb/lp0", () => {
  test("the bytes of each job arrive, one after the other", async () => {
    const path = join(tempDir(), "lp0");
    writeFileSync(path, "");
    const t = usbLpTransport({ path });
    const a = jobBytes(1000, 1);
    const b = jobBytes(70_000, 2);
    await t.send(a);
    await t.send(b);
    await t.close();
    expect(new Uint8Array(readFileSync(path))).toEqual(Uint8Array.of(...a, ...b));
    expect(t.description).toBe(`usb ${path}`);
  });

  test("status is null (a file cannot answer) and nothing is written to it", async () => {
    const path = join(tempDir(), "lp0");
    writeFileSync(path, "");
    expect(await usbLpTransport({ path }).status()).toBeNull();
    expect(readFileSync(path).length).toBe(0);
  });
});

describe("usbLpTransport with a FIFO standing in for /dev/usb/lp0", () => {
  test("a 200 KB job gets through a 64 KB pipe to a slow reader", async () => {
    const path = join(tempDir(), "lp0");
    const mk = Bun.spawnSync(["mkfifo", path]);
    expect(mk.exitCode).toBe(0);
    // the "printer": reads whatever is in the pipe every few milliseconds
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const got: Uint8Array[] = [];
    const buffer = new Uint8Array(8192);
    const timer = setInterval(() => {
      for (;;) {
        let n = 0;
        try {
          n = readSync(fd, buffer, 0, buffer.length, null);
        } catch {
          return;
        }
        if (n <= 0) return;
        got.push(buffer.slice(0, n));
      }
    }, 3);
    cleanups.push(() => {
      clearInterval(timer);
      closeSync(fd);
    });

    const bytes = jobBytes(200 * 1024, 3);
    await usbLpTransport({ path }).send(bytes);
    for (let i = 0; i < 500 && got.reduce((n, g) => n + g.length, 0) < bytes.length; i++) await Bun.sleep(5);
    expect(Buffer.concat(got)).toEqual(Buffer.from(bytes));
  });
});

describe("usbLpTransport errors", () => {
  test("a missing printer is offline, says what to check, and no file is created in its place", async () => {
    const path = join(tempDir(), "lp0");
    const t = usbLpTransport({ path });
    const e = await rejection(t.send(jobBytes(10)));
    expect(e.code).toBe("offline");
    expect(e.message).toContain(path);
    expect(e.message).toContain("USB cable");
    expect(e.message).toContain("switched on");
    expect(existsSync(path)).toBe(false);
    expect(await t.status()).toMatchObject({ online: false, paper: "unknown", error: e.message });
  });

  test.skipIf(process.getuid?.() === 0)("no permission says to join the group lp", async () => {
    const path = join(tempDir(), "lp0");
    writeFileSync(path, "");
    chmodSync(path, 0o000);
    const e = await rejection(usbLpTransport({ path }).send(jobBytes(10)));
    expect(e.code).toBe("refused");
    expect(e.message).toContain("group lp");
  });

  test("a printer that stops taking data times out", async () => {
    const path = join(tempDir(), "lp0");
    Bun.spawnSync(["mkfifo", path]);
    // nobody reads: the pipe fills, like a printer out of paper holding the USB bus
    const e = await rejection(usbLpTransport({ path, writeTimeoutMs: 200 }).send(jobBytes(200 * 1024)));
    expect(e.code).toBe("timeout");
  });
});

describe("usbLpTransport status on a bidirectional device", () => {
  test("DLE EOT replies are read back (a pty plays the printer's character device)", async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const t = usbLpTransport({ path: pty.printerSide, statusTimeoutMs: 5000 });
    const pending = t.status();
    expect([...(await pty.waitFor(9))]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
    pty.write(Uint8Array.of(0x12 | 0x08, 0x12 | 0x04, 0x12)); // offline, cover open
    expect(await pending).toMatchObject({ online: false, coverOpen: true, paper: "ok", drawerOpen: false });
  });

  test("a silent device gives null", async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    expect(await usbLpTransport({ path: pty.printerSide, statusTimeoutMs: 100 }).status()).toBeNull();
  });
});

test("listUsbPrinters finds lpN devices in number order", () => {
  const dir = tempDir();
  for (const name of ["lp10", "lp2", "lp0", "hiddev0", "lpx"]) writeFileSync(join(dir, name), "");
  expect(listUsbPrinters(dir)).toEqual([`${dir}/lp0`, `${dir}/lp2`, `${dir}/lp10`]);
  expect(listUsbPrinters(join(dir, "missing"))).toEqual([]);
});
