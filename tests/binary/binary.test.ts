// The compiled executable on its own: copied to a folder with no node_modules, run with no Bun on the PATH.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { buildBinary, runCommand, startServer } from "../helpers/server.ts";
import { codes } from "../helpers/store.ts";

const work = mkdtempSync(join(tmpdir(), "shopflow-alone-"));
const bin = join(work, "shopflow");
const data = join(work, "store-data");
const env = { PATH: "/usr/bin:/bin", SHOPFLOW_DATA: "" };

beforeAll(async () => {
  copyFileSync(await buildBinary(), bin);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("--version and --help answer; an unknown command exits 2 with the usage", async () => {
  const v = await runCommand([bin], ["--version"], env);
  expect(v.code).toBe(0);
  expect(v.stdout.split("\n")[0]).toMatch(/^\d+\.\d+\.\d+$/);
  expect(v.stdout).toMatch(/^store database schema \d+ /m);
  const h = await runCommand([bin], ["--help"], env);
  expect(h.stdout).toContain("shopflow serve");
  expect(h.stdout).toContain("shopflow token create");
  expect(h.stdout).toContain("shopflow import");
  const bad = await runCommand([bin], ["sel"], env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown command "sel"');
});

test("import a CSV, create a token, serve, sell and read it back — all from the binary alone", async () => {
  const csv = join(work, "products.csv");
  writeFileSync(
    csv,
    [
      "sku,barcode,name,price,tax class,category,stock,unit/weighed",
      `MILK-1L,${codes.milk},Fresh Milk 1 L,1.19,RED,Dairy,50,unit`,
      `BREAD,${codes.bread},"Pain de campagne, 800 g",3.49,RED,Bakery,20,unit`,
      `BAD,4006381333932,Broken barcode,1.00,RED,Dairy,1,unit`,
    ].join("\n"),
  );
  // Tax classes come with the demo catalog or head office; a fresh store gets the demo ones with --demo.
  const first = await startServer([bin], ["--data", data, "--demo"], env);
  await first.stop();
  const imported = await runCommand([bin], ["import", csv, "--data", data], env);
  expect(imported.stdout).toContain("line 4:");
  expect(imported.stdout).toMatch(/2 imported, 0 updated, 1 rejected/);

  const tokenRun = await runCommand([bin], ["token", "create", "--name", "Webshop", "--data", data], env);
  expect(tokenRun.code).toBe(0);
  const token = tokenRun.stdout.trim().split("\n").at(-1)!;
  expect(token).toMatch(/^sf_/);

  const server = await startServer([bin], ["--data", data], env);
  try {
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
    const res = await fetch(`${server.url}/api/v1/sales`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ lines: [{ sku: "MILK-1L", qty: 2 }, { barcode: codes.bread }], payments: [{ method: "cash", amount: 1000 }] }),
    });
    expect(res.status).toBe(201);
    const sale = await res.json();
    expect(sale.total).toBe(587);
    expect(sale.change).toBe(413);
    expect(sale.lines[1].name).toBe("Pain de campagne, 800 g");
    const back = await fetch(`${server.url}/api/v1/sales/${sale.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await back.json()).receipt_number).toBe(sale.receipt_number);
  } finally {
    await server.stop();
  }
});

test("shelf labels come out of the binary alone: bwip-js draws the barcodes and pdf-lib the A4 PDF", async () => {
  const server = await startServer([bin], ["--data", join(work, "labels-data"), "--demo"], env);
  try {
    // the demo's manager signs in from a browser that is no register (the back office)
    const login = await fetch(`${server.url}/login`);
    const csrf = /sf_csrf=([^;]+)/.exec(login.headers.getSetCookie().join("\n"))![1]!;
    const userId = /name="user_id" value="(\d+)"[^>]*>\s*Manager/.exec(await login.text())![1]!;
    const signed = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: `sf_csrf=${csrf}`, "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user_id: userId, pin: "1234" }).toString(),
    });
    expect(signed.status).toBe(303);
    const session = /sf_session=([^;]+)/.exec(signed.headers.getSetCookie().join("\n"))![1]!;
    const ids = Array.from({ length: 30 }, (_, i) => i + 1).join(",");
    const res = await fetch(`${server.url}/stock/labels/pdf?ids=${ids}`, { headers: { Cookie: `sf_session=${session}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getPage(0).getWidth()).toBeCloseTo(595.28, 1);
    // a barcode image on each label: bwip-js ran inside the binary
    const images = doc.getPages().map((p) => p.node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict)?.keys().length ?? 0);
    expect(images).toEqual([24, 6]);
  } finally {
    await server.stop();
  }
});
