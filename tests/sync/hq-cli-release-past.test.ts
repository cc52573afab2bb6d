// 'shopflow hq release' asks before the past, as the dashboard does: a release effective in the past takes effect at
// the stores at once yet loses to every later one, so a typo in the year is refused with a sentence and nothing is
// published, unless --past says it is meant. The real command line against a real PostgreSQL.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hq, startHq } from "./hq-support.ts";

let hq: Hq;
let dir: string;
let file: string;
const main = join(import.meta.dir, "../../src/main.ts");

beforeAll(async () => {
  hq = await startHq();
  dir = mkdtempSync(join(tmpdir(), "shopflow-release-past-"));
  file = join(dir, "changes.json");
  const std = { code: "STD", name: "Standard", rate_bp: 2000 };
  writeFileSync(file, JSON.stringify({ tax_classes: [std], products: [{ sku: "TEA", barcode: null, name: "Tea", price: 250, tax_class: "STD" }] }));
}, 60_000);
afterAll(async () => {
  await hq?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function shopflow(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, main, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, SHOPFLOW_HQ_DATABASE_URL: "" } });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

const releases = async () => hq.sql<{ version: number; effective_at: Date }[]>`SELECT version, effective_at FROM catalog_releases ORDER BY version`;

test("a time in the past is refused with a sentence naming it and --past; nothing is published", async () => {
  const year = new Date().getUTCFullYear() - 1;
  const refused = await shopflow(["hq", "release", "--file", file, "--effective-at", `${year}-12-01T06:00:00Z`, "--database-url", hq.pg.url]);
  expect(refused.code).toBe(2);
  expect(refused.err).toContain(`--effective-at ${year}-12-01 06:00 UTC is in the past; nothing was published`);
  expect(refused.err).toContain("--past");
  expect(refused.out).toBe("");
  expect((await releases()).length).toBe(0);
});

test("with --past the same release is published at that time", async () => {
  const year = new Date().getUTCFullYear() - 1;
  const at = `${year}-12-01T06:00:00Z`;
  const ok = await shopflow(["hq", "release", "--file", file, "--effective-at", at, "--past", "--database-url", hq.pg.url]);
  expect(ok.err).toBe("");
  expect(ok.code).toBe(0);
  expect(ok.out).toContain("catalog release 1 published");
  const [r] = await releases();
  expect(r!.effective_at.toISOString()).toBe(new Date(at).toISOString());
});

test("now (no --effective-at) and a future time need no --past", async () => {
  const now = await shopflow(["hq", "release", "--file", file, "--database-url", hq.pg.url]);
  expect(now.err).toBe("");
  expect(now.code).toBe(0);
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const later = await shopflow(["hq", "release", "--file", file, "--effective-at", future, "--database-url", hq.pg.url]);
  expect(later.err).toBe("");
  expect(later.code).toBe(0);
  expect((await releases()).map((r) => r.version)).toEqual([1, 2, 3]);
});
