// A scale at the far end of a software null-modem cable (socat): asked with "W", it answers as a Toledo 8213 scale.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeScale, openFakeScale, statusFrame, weightFrame } from "../../../tests/helpers/fake-scale.ts";
import { ptyDeviceRules } from "../../../tests/helpers/pty.ts";
import { shopDeviceRules } from "../printers/device-rules.ts";
import { scalePathProblem } from "./scale-path.ts";
import { serialScale } from "./serial-scale.ts";

async function stty(path: string): Promise<string> {
  const p = Bun.spawn(["stty", "-F", path, "-a"], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  return out;
}

let scale: FakeScale;
beforeEach(async () => {
  scale = await openFakeScale(weightFrame("00.742"));
});
afterEach(async () => {
  await scale.close();
});

describe("reading a scale on a serial port", () => {
  test("the store asks with W and reads 0.742 kg as 742 g, the port set to 9600 baud 7E1", async () => {
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules });
    expect(await s.read()).toEqual({ ok: true, grams: 742 });
    expect(scale.questions()).toBe(1);
    expect(s.description).toBe(`serial ${scale.path} 9600 baud 7E1`);
  });

  test("the speed set is the one the port takes; a 7E1 scale is asked with W's parity bit set, an 8N1 one without", async () => {
    const s = serialScale({ path: scale.path, baud: 19200, framing: "8N1", rules: ptyDeviceRules, timeoutMs: 10_000 });
    scale.answer(null); // hold the answer while the port is looked at
    const reading = s.read();
    while (scale.questions() === 0) await Bun.sleep(5);
    const settings = await stty(scale.path);
    expect(settings).toContain("speed 19200 baud");
    expect(settings).toMatch(/(^|\s)cs8(\s|$)/);
    scale.send(weightFrame("00.742"));
    expect(await reading).toEqual({ ok: true, grams: 742 });
    scale.answer(weightFrame("00.742"));
    expect(await serialScale({ path: scale.path, framing: "7E1", rules: ptyDeviceRules }).read()).toEqual({ ok: true, grams: 742 });
    expect(scale.asked()).toEqual([0x57, 0xd7]);
  });

  test("in motion, then steady: each reading says what the scale said", async () => {
    scale.answer(statusFrame({ motion: true }), weightFrame("00.742"));
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules });
    expect(await s.read()).toMatchObject({ ok: false, problem: "motion" });
    expect(await s.read()).toEqual({ ok: true, grams: 742 });
  });

  test("under zero and over capacity come back as their reasons", async () => {
    scale.answer(statusFrame({ underZero: true }), statusFrame({ overCapacity: true }));
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules });
    expect(await s.read()).toMatchObject({ ok: false, problem: "under_zero" });
    expect(await s.read()).toMatchObject({ ok: false, problem: "over_capacity" });
  });

  test("an answer sent in pieces is put together", async () => {
    scale.answer("\x0200.");
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules, timeoutMs: 10_000 });
    const reading = s.read();
    while (scale.questions() === 0) await Bun.sleep(5);
    // the rest of the frame, as if it came late down the wire
    scale.send("742\r");
    expect(await reading).toEqual({ ok: true, grams: 742 });
  });

  test("two readings asked at once each get an answer (one question on the line at a time)", async () => {
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules });
    expect(await Promise.all([s.read(), s.read()])).toEqual([
      { ok: true, grams: 742 },
      { ok: true, grams: 742 },
    ]);
  });
});

describe("when there is no weight to read", () => {
  test("a scale that never answers: 'no answer' once the timeout has passed, with what to check", async () => {
    scale.answer(null);
    const s = serialScale({ path: scale.path, rules: ptyDeviceRules, timeoutMs: 150 });
    const r = await s.read();
    expect(r).toEqual({
      ok: false,
      problem: "no_answer",
      message: `The scale on ${scale.path} did not answer: check that it is switched on and its cable is plugged in.`,
    });
    expect(scale.questions()).toBe(1);
  });

  test("no device at the path: not connected", async () => {
    const r = await serialScale({ path: "/dev/ttyUSB97", rules: shopDeviceRules, timeoutMs: 150 }).read();
    expect(r).toMatchObject({ ok: false, problem: "not_connected", message: expect.stringContaining("/dev/ttyUSB97") });
  });

  test("a path outside the allow-list is refused and never opened: the pty under a shop's rules, a file, a link to one", async () => {
    const r = await serialScale({ path: scale.path, rules: shopDeviceRules }).read();
    expect(r).toMatchObject({ ok: false, problem: "refused", message: expect.stringContaining("will not read a scale") });
    expect(scale.questions()).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), "shopflow-scale-"));
    try {
      const file = join(dir, "weights");
      writeFileSync(file, "");
      expect(await serialScale({ path: file, rules: ptyDeviceRules }).read()).toMatchObject({ ok: false, problem: "refused" });
      expect(readFileSync(file, "utf8")).toBe(""); // no W written into it
      // a rule that takes any name here still needs the link to end at a serial port
      const link = join(dir, "ttyUSB0");
      symlinkSync(file, link);
      const loose = { ...ptyDeviceRules, paths: { ...ptyDeviceRules.paths, serial: [/^\/tmp\//] } };
      expect(await serialScale({ path: link, rules: loose }).read()).toMatchObject({
        ok: false,
        problem: "refused",
        message: expect.stringContaining("leads to"),
      });
      expect(readFileSync(file, "utf8")).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("setting a scale up checks its path by the same rules", () => {
    expect(scalePathProblem("/dev/ttyUSB0", shopDeviceRules)).toBeNull();
    expect(scalePathProblem("/dev/serial/by-id/usb-Scale_123-if00-port0", shopDeviceRules)).toBeNull();
    expect(scalePathProblem("/etc/passwd", shopDeviceRules)).toContain("is not one");
    expect(scalePathProblem("/dev/../etc/passwd", shopDeviceRules)).toContain("is not one");
    expect(scalePathProblem(scale.path, shopDeviceRules)).toContain("is not one");
    expect(scalePathProblem(scale.path, ptyDeviceRules)).toBeNull();
  });
});
