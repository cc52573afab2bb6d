import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobBytes, rejection } from "../../../tests/helpers/printer-jobs.ts";
import { openPtyPair, type PtyPair } from "../../../tests/helpers/pty.ts";
import { listSerialPorts, serialTransport } from "./serial.ts";

/** What stty reads back from the port while our transport holds it open. */
async function stty(path: string): Promise<string> {
  const p = Bun.spawn(["stty", "-F", path, "-a"], { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  if ((await p.exited) !== 0) throw new Error(`stty failed: ${err}`);
  return out;
}

let pty: PtyPair;
beforeEach(async () => {
  pty = await openPtyPair();
});
afterEach(async () => {
  await pty.close();
});

describe("serialTransport sending", () => {
  test("every byte value arrives unchanged at 9600 baud (raw: no CR/LF or XON/XOFF games)", async () => {
    const t = serialTransport({ path: pty.printerSide, baud: 9600 });
    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => i % 256);
    await t.send(bytes);
    expect(await pty.waitFor(bytes.length)).toEqual(bytes);
    expect(await stty(pty.printerSide)).toContain("speed 9600 baud");
    await t.close();
  });

  test("a 200 KB job at 115200 baud arrives exactly", async () => {
    const t = serialTransport({ path: pty.printerSide, baud: 115200 });
    const bytes = jobBytes(200 * 1024);
    await t.send(bytes);
    expect(await pty.waitFor(bytes.length)).toEqual(bytes);
    const settings = await stty(pty.printerSide);
    expect(settings).toContain("speed 115200 baud");
    expect(settings).toMatch(/(^|\s)-crtscts(\s|$)/);
    await t.close();
  });

  test("RTS/CTS flow control is set and bytes still arrive", async () => {
    const t = serialTransport({ path: pty.printerSide, baud: 19200, flow: "rtscts" });
    const bytes = jobBytes(5000, 2);
    await t.send(bytes);
    expect(await pty.waitFor(bytes.length)).toEqual(bytes);
    const settings = await stty(pty.printerSide);
    expect(settings).toContain("speed 19200 baud");
    expect(settings).toMatch(/(^|\s)crtscts(\s|$)/);
    await t.close();
  });

  test("XON/XOFF flow control is set and bytes still arrive", async () => {
    const t = serialTransport({ path: pty.printerSide, baud: 38400, flow: "xonxoff" });
    const bytes = jobBytes(5000, 3);
    await t.send(bytes);
    expect(await pty.waitFor(bytes.length)).toEqual(bytes);
    const settings = await stty(pty.printerSide);
    expect(settings).toContain("speed 38400 baud");
    expect(settings).toMatch(/(^|\s)ixon(\s|$)/);
    expect(settings).toMatch(/(^|\s)ixoff(\s|$)/);
    expect(t.description).toBe(`serial ${pty.printerSide} 38400 baud xonxoff`);
    await t.close();
  });

  test("57600 baud is accepted, and jobs keep their order across transports", async () => {
    const a = jobBytes(3000, 4);
    const b = jobBytes(3000, 5);
    const first = serialTransport({ path: pty.printerSide, baud: 57600 });
    await first.send(a);
    await first.close();
    const second = serialTransport({ path: pty.printerSide, baud: 57600 });
    await second.send(b);
    expect(await stty(pty.printerSide)).toContain("speed 57600 baud");
    await second.close();
    expect(await pty.waitFor(a.length + b.length)).toEqual(Uint8Array.of(...a, ...b));
  });

  test("an unsupported speed fails the job with a reason", async () => {
    const e = await rejection(serialTransport({ path: pty.printerSide, baud: 14400 }).send(jobBytes(10)));
    expect(e.code).toBe("io");
    expect(e.message).toContain("9600");
  });
});

describe("serialTransport errors and status", () => {
  test("a missing port is offline, and says what to check", async () => {
    const t = serialTransport({ path: "/dev/ttyUSB97" });
    const e = await rejection(t.send(jobBytes(10)));
    expect(e.code).toBe("offline");
    expect(e.message).toContain("/dev/ttyUSB97");
    expect(await t.status()).toMatchObject({ online: false, paper: "unknown", error: expect.stringContaining("plugged in") });
  });

  test("a file that is not a serial port is refused with a reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-serial-"));
    const file = join(dir, "not-a-tty");
    writeFileSync(file, "");
    const e = await rejection(serialTransport({ path: file }).send(jobBytes(10)));
    rmSync(dir, { recursive: true });
    expect(e.code).toBe("io");
    expect(e.message).toContain("not a serial port");
  });

  test("a printer that answers DLE EOT: status is read back", async () => {
    const t = serialTransport({ path: pty.printerSide, statusTimeoutMs: 5000 });
    const pending = t.status();
    expect([...(await pty.waitFor(9))]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
    pty.write(Uint8Array.of(0x12 | 0x04, 0x12, 0x12 | 0x0c)); // drawer open, paper near end
    expect(await pending).toEqual({ online: true, paper: "near-end", coverOpen: false, drawerOpen: true, error: null });
    await t.close();
  });

  test("a printer that keeps quiet: status is null", async () => {
    const t = serialTransport({ path: pty.printerSide, statusTimeoutMs: 100 });
    expect(await t.status()).toBeNull();
    await t.close();
  });
});

test("listSerialPorts lists device paths only", () => {
  for (const p of listSerialPorts()) expect(p).toMatch(/^\/dev\/(ttyS\d+|ttyUSB\d+|ttyACM\d+|serial\/by-id\/.+)$/);
});
