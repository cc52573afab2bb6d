// `shopflow printer add | list | test` run as the compiled binary, against a fake network printer.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakePrinter, startFakePrinter } from "../helpers/fake-printer.ts";
import { buildBinary, runCommand } from "../helpers/server.ts";
import { paper } from "./support.ts";

let binary: string;
let fake: FakePrinter;
let data: string;
beforeAll(async () => {
  binary = await buildBinary();
  fake = startFakePrinter();
  data = mkdtempSync(join(tmpdir(), "shopflow-cli-printer-"));
});
afterAll(() => {
  fake.stop();
  rmSync(data, { recursive: true, force: true });
});

const shopflow = (...args: string[]) => runCommand([binary], [...args, "--data", data]);

test("printer add, list and test: the test page comes out of the printer", async () => {
  const add = await shopflow("printer", "add", "--name", "Front", "--kind", "network", "--host", fake.host, "--port", String(fake.port), "--default");
  expect(add.stderr).toBe("");
  expect(add.code).toBe(0);
  expect(add.stdout.trim()).toBe(`printer "Front" added: network ${fake.host}:${fake.port} (default)`);

  const list = await shopflow("printer", "list");
  expect(list.code).toBe(0);
  expect(list.stdout.trim().split("\n")).toEqual([
    `Front\tnetwork\t${fake.host}:${fake.port}\tesc-pos 80mm\tdefault`,
    "Virtual printer\tvirtual\tin the browser\tesc-pos 80mm",
  ]);

  const run = await shopflow("printer", "test", "Front");
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout.trim()).toBe("test page printed on Front");
  expect(fake.jobs()).toHaveLength(1);
  const p = paper(fake.jobs()[0]!);
  expect(p.lines).toContainEqual(expect.stringMatching(/^ +TEST PAGE$/));
  expect(p.lines).toContainEqual(expect.stringMatching(/^ +Front$/));
  expect(p.events.at(-1)).toEqual({ type: "cut" });
});

test("printer test with the printer switched off exits 1 and says why", async () => {
  fake.refuse(true);
  try {
    const run = await shopflow("printer", "test", "Front");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("test page not printed on Front");
    expect(run.stderr).toContain(`The printer at ${fake.host}:${fake.port} refused the connection`);
    expect(fake.jobs()).toHaveLength(1);
  } finally {
    fake.refuse(false);
  }
});

test("printer add with an unknown --kind is a usage error: exit 2, nothing added", async () => {
  const add = await shopflow("printer", "add", "--name", "Back", "--kind", "parallel", "--host", "127.0.0.1");
  expect(add.code).toBe(2);
  expect(add.stderr).toContain("kind must be network, usb, serial or virtual");
  const list = await shopflow("printer", "list");
  expect(list.stdout).not.toContain("Back");
});

test("printer test for a printer nobody set up is a usage error", async () => {
  const run = await shopflow("printer", "test", "Nowhere");
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('no printer named "Nowhere"');
});
