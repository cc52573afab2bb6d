// The compiled binary alone makes the certificates (@peculiar/x509 and reflect-metadata bundled in) and serves https.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, runCommand } from "../helpers/server.ts";

const work = mkdtempSync(join(tmpdir(), "shopflow-tls-bin-"));
const bin = join(work, "shopflow");
const env = { PATH: "/usr/bin:/bin", SHOPFLOW_DATA: "" };

beforeAll(async () => {
  copyFileSync(await buildBinary(), bin);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("tls init and an https serve from the binary alone", async () => {
  const data = join(work, "data");
  const init = await runCommand([bin], ["tls", "init", "--data", data], env);
  expect(init.stderr).toBe("");
  expect(init.code).toBe(0);
  expect(init.stdout).toMatch(/^ {2}([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
  const proc = Bun.spawn([bin, "serve", "--data", data, "--host", "127.0.0.1", "--port", "0"], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  try {
    const reader = proc.stdout.getReader();
    let text = "";
    let m: RegExpExecArray | null = null;
    while (!m) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`serve did not start: ${text}${await new Response(proc.stderr).text()}`);
      text += new TextDecoder().decode(chunk.value);
      m = /serving on https:\/\/[^:]+:(\d+)/.exec(text);
    }
    const ca = readFileSync(join(data, "tls", "ca.crt"), "utf8");
    const health = await fetch(`https://localhost:${m[1]}/healthz`, { tls: { ca } });
    expect(health.status).toBe(200);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
});
