// A register's scale set on the Devices page: stored with an audit row, listed, read once to check, removed; a path
// outside the device rules (the same as serial printers') refused with nothing written.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { type FakeScale, openFakeScale, weightFrame } from "../helpers/fake-scale.ts";
import { ptyDeviceRules } from "../helpers/pty.ts";
import { makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let manager: SignedIn;
let lane: SignedIn;
let scale: FakeScale;
beforeEach(async () => {
  t = makeTestStore({ deviceRules: ptyDeviceRules });
  manager = await signIn(t.store, 9, { role: "manager", shift: false, name: "Maria" });
  lane = await signIn(t.store, 1);
  scale = await openFakeScale(weightFrame("00.742"));
});
afterEach(async () => {
  await scale.close();
  t.close();
});

const form = (path: string, fields: Record<string, string> = {}) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const page = (path: string) => t.app.request(path, { headers: manager.headers });
const said = (res: Response) => decodeURIComponent(new URL(res.headers.get("Location") ?? "/", "http://x").searchParams.get("said") ?? "");
const scaleRows = async () =>
  [...(await (await page("/devices")).text()).matchAll(/<tr data-testid="scale-row">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(0, 2).map((c) => c[1]!.replace(/<[^>]+>/g, "").trim()),
  );
const auditRows = () =>
  t.store.db
    .query<{ action: string; user_name: string | null; subject: string; detail: string }, []>(
      "SELECT action, user_name, subject, detail FROM audit_log WHERE action LIKE 'scale.%' ORDER BY id",
    )
    .all();

test("the Devices page offers the paired registers and says no register has a scale", async () => {
  const html = await (await page("/devices")).text();
  expect(html).toContain('data-testid="no-scales"');
  expect(html).toContain(`<option value="${lane.registerId}">Lane 1</option>`);
});

test("a manager sets Lane 1's scale: listed, audited, read once from the page, then removed", async () => {
  const set = await form("/devices/scales", { register: String(lane.registerId), path: scale.path, baud: "9600", framing: "7E1" });
  expect(set.status).toBe(303);
  expect(said(set)).toBe(`Lane 1 weighs on the scale at ${scale.path} @ 9600 7E1.`);
  expect(await scaleRows()).toEqual([["Lane 1", `${scale.path} @ 9600 7E1`]]);
  expect(t.store.scales.forRegister(lane.registerId)).toMatchObject({ path: scale.path, baud: 9600, framing: "7E1" });

  const reading = await (await page(`/devices/scales/${lane.registerId}/reading`)).text();
  expect(reading).toContain("The scale of Lane 1 reads 0.742 kg.");
  expect(scale.questions()).toBe(1);

  // changed to 19200 8N1: one setting per register, changed in place
  await form("/devices/scales", { register: String(lane.registerId), path: scale.path, baud: "19200", framing: "8N1" });
  expect(await scaleRows()).toEqual([["Lane 1", `${scale.path} @ 19200 8N1`]]);

  const cleared = await form(`/devices/scales/${lane.registerId}/clear`);
  expect(said(cleared)).toBe("Lane 1 has no scale now: its cashiers type the weight.");
  expect(await scaleRows()).toEqual([]);
  expect(t.store.scales.forRegister(lane.registerId)).toBeNull();

  expect(auditRows().map((r) => [r.action, r.user_name, r.subject, JSON.parse(r.detail)])).toEqual([
    ["scale.set", "Maria", "Lane 1", { path: scale.path, baud: 9600, framing: "7E1" }],
    ["scale.set", "Maria", "Lane 1", { path: scale.path, baud: 19200, framing: "8N1" }],
    ["scale.cleared", "Maria", "Lane 1", { path: scale.path }],
  ]);
});

test("a path outside the device rules, a bad speed or framing, or no such register: refused with a reason, nothing written", async () => {
  const refusals: [Record<string, string>, string][] = [
    [{ path: "/etc/passwd" }, "A scale's path is a serial port"],
    [{ path: "/dev/../etc/passwd" }, "A scale's path is a serial port"],
    [{ path: "/tmp/ttyUSB0" }, "A scale's path is a serial port"],
    [{ path: "" }, "Give the scale's serial port"],
    [{ path: "/dev/ttyUSB0", baud: "14400" }, "The baud rate must be one of 9600"],
    [{ path: "/dev/ttyUSB0", framing: "7O2" }, "The framing is 7E1 or 8N1"],
    [{ path: "/dev/ttyUSB0", register: "9999" }, "There is no register number 9999"],
    [{ path: "/dev/ttyUSB0", register: "lane one" }, "Choose the register"],
  ];
  for (const [fields, why] of refusals) {
    const res = await form("/devices/scales", { register: String(lane.registerId), ...fields });
    expect(res.status).toBe(422);
    expect((await res.text()).replaceAll("&#39;", "'")).toContain(`Scale not set: ${why}`);
  }
  expect(t.store.scales.list()).toEqual([]);
  expect(auditRows()).toEqual([]);
});

test("a shop's own rules refuse the pty a test may use: the same rules as printers decide", async () => {
  const shop = makeTestStore();
  try {
    const boss = await signIn(shop.store, 9, { role: "manager", shift: false });
    const till = await signIn(shop.store, 1);
    const res = await shop.app.request("/devices/scales", {
      method: "POST",
      headers: { ...boss.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ register: String(till.registerId), path: scale.path }).toString(),
    });
    expect(res.status).toBe(422);
    expect(shop.store.scales.list()).toEqual([]);
    // a path typed for a scale not plugged in yet is kept: it is checked again at each reading
    expect(
      shop.store.devices.setScale(
        { userId: null, userName: null, registerName: null },
        { registerId: till.registerId, path: "/dev/ttyUSB97", baud: 9600, framing: "7E1" },
      ),
    ).toMatchObject({ path: "/dev/ttyUSB97" });
    expect(await shop.store.scales.read(till.registerId)).toMatchObject({ ok: false, problem: "not_connected" });
  } finally {
    shop.close();
  }
});

test("a cashier may not set a scale", async () => {
  const res = await t.app.request("/devices/scales", {
    method: "POST",
    headers: { ...lane.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ register: String(lane.registerId), path: scale.path }).toString(),
  });
  expect([401, 403]).toContain(res.status);
  expect(t.store.scales.list()).toEqual([]);
});
