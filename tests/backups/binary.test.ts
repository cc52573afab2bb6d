// Backups from the compiled executable alone: the server's nightly backup runs in its worker thread (an entry point of
// the build), `shopflow backup` writes a checked copy, and `shopflow restore` puts it back once the server is stopped.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackupStatus } from "../../src/server/backups/status.ts";
import { buildBinary, runCommand, startServer } from "../helpers/server.ts";

const work = mkdtempSync(join(tmpdir(), "shopflow-backup-bin-"));
const bin = join(work, "shopflow");
const data = join(work, "store-data");
const env = { PATH: "/usr/bin:/bin", SHOPFLOW_DATA: "" };

beforeAll(async () => {
  copyFileSync(await buildBinary(), bin);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const status = (): BackupStatus => JSON.parse(readFileSync(join(data, "backup-status.json"), "utf8"));

test("a missed night is backed up by the running binary's worker; backup and restore commands work from the binary", async () => {
  expect((await runCommand([bin], ["settings", "set", "store_name", "Corner Shop", "--data", data], env)).code).toBe(0);
  // the last backup three nights ago: the server catches up as it starts
  const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
  writeFileSync(join(data, "backup-status.json"), JSON.stringify({ last: { file: "x", bytes: 1, dbBytes: 1, at: old, ms: 1, sales: 0 } }));
  const server = await startServer([bin], ["--data", data], env);
  try {
    for (let i = 0; i < 200 && status().last?.at === old && !status().failed; i++) await Bun.sleep(50);
    expect(status().failed).toBeNull();
    expect(status().last?.at).not.toBe(old);
    expect(readdirSync(join(data, "backups"))).toEqual([status().last!.file.split("/").at(-1)!]);
    const manual = await runCommand([bin], ["backup", "--data", data, "--to", join(work, "usb")], env);
    expect(manual.code).toBe(0);
    expect(manual.stdout).toContain(`backup written: ${join(work, "usb")}/shopflow-store-`);
    const refused = await runCommand([bin], ["restore", status().last!.file, "--data", data], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Stop it first");
  } finally {
    await server.stop();
  }
  const restored = await runCommand([bin], ["restore", status().last!.file, "--data", data], env);
  expect(restored.stderr).toBe("");
  expect(restored.code).toBe(0);
  expect(restored.stdout).toContain("new database epoch");
}, 60_000);
