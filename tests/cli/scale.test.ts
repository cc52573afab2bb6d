// `shopflow scale set | list | read | clear`: a register's scale from the command line, by the Devices page's rules.
import { afterAll, afterEach, beforeEach, expect, spyOn, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop } from "../../src/server/compose.ts";
import { ensureRegister } from "../../src/server/registers/records.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-scale-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[] = [];
let err: string[] = [];
let spies: { mockRestore(): void }[] = [];
beforeEach(() => {
  out = [];
  err = [];
  spies = [
    spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" "))),
    spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" "))),
  ];
});
afterEach(() => {
  for (const s of spies) s.mockRestore();
});

const shopflow = (...args: string[]) => runCli([...args, "--data", dir]);

test("set, list, read and clear a register's scale; each change audited; bad settings refused with exit 2", async () => {
  const store = openShop({ dataDir: dir });
  const lane = ensureRegister(store.db, "Lane 1", store.clock.now().toISOString());
  store.close();

  expect(await shopflow("scale", "set", "--register", String(lane), "--path", "/dev/ttyUSB97", "--baud", "19200")).toBe(0);
  expect(out).toEqual([`Lane 1 (register ${lane}) weighs on the scale at /dev/ttyUSB97 @ 19200 7E1`]);

  // refused, as on the Devices page: a path that is not a serial port, a speed the scale cannot have, no such register
  expect(await shopflow("scale", "set", "--register", String(lane), "--path", "/etc/passwd")).toBe(2);
  expect(err.at(-1)).toContain("A scale's path is a serial port");
  expect(await shopflow("scale", "set", "--register", String(lane), "--path", "/dev/ttyUSB0", "--baud", "14400")).toBe(2);
  expect(await shopflow("scale", "set", "--register", "4242", "--path", "/dev/ttyUSB0")).toBe(2);
  expect(await shopflow("scale", "set", "--path", "/dev/ttyUSB0")).toBe(2);

  out = [];
  expect(await shopflow("scale", "list")).toBe(0);
  expect(out).toEqual([`${lane}\tLane 1\t/dev/ttyUSB97 @ 19200 7E1`]);

  // nothing plugged in at that port: exit 1 and why
  err = [];
  expect(await shopflow("scale", "read", "--register", String(lane))).toBe(1);
  expect(err).toEqual(["not_connected: No scale at /dev/ttyUSB97: check that its cable or USB-serial adapter is plugged in."]);

  out = [];
  expect(await shopflow("scale", "clear", "--register", String(lane))).toBe(0);
  expect(out).toEqual(["Lane 1 has no scale now: its cashiers type the weight"]);
  expect(await shopflow("scale", "read", "--register", String(lane))).toBe(2);

  const check = openShop({ dataDir: dir });
  try {
    expect(check.scales.list()).toEqual([]);
    const rows = check.db
      .query<{ action: string; subject: string; detail: string }, []>("SELECT action, subject, detail FROM audit_log WHERE action LIKE 'scale.%' ORDER BY id")
      .all();
    expect(rows.map((r) => [r.action, r.subject, JSON.parse(r.detail)])).toEqual([
      ["scale.set", "Lane 1", { path: "/dev/ttyUSB97", baud: 19200, framing: "7E1" }],
      ["scale.cleared", "Lane 1", { path: "/dev/ttyUSB97" }],
    ]);
  } finally {
    check.close();
  }
});
