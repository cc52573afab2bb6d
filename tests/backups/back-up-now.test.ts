// "Back up now" on the Devices page, in Chromium against a real store on a real SQLite file: a manager presses it, sees
// it start and finish, and the file in the backup folder is whole (integrity_check); a second press while the first
// is still sending its copy to a real head office (held there by a row lock on PostgreSQL) is refused with a 409 and
// its sentence; a cashier cannot start one. Each start is in the audit log.

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { readBackupStatus } from "../../src/server/backups/status.ts";
import { saveHeadOfficeLink } from "../../src/server/head-office/link.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { auditOf, eventually, expected409, registerSuite } from "../e2e/support.ts";
import { signIn } from "../helpers/store.ts";
import { browserOf, errorCode, isDenied, send } from "../security/support.ts";
import { withLinkedStores } from "../sync/linked-stores.ts";

const linked = withLinkedStores();
const suite = registerSuite();

const shop = () => suite.server.store.store;
const folder = () => join(suite.server.store.dir, "backups");
const state = (page: Page) => page.getByTestId("backups").getAttribute("data-state");

test("a manager presses Back up now: it starts, finishes on the page, and the file in the backup folder is whole", async () => {
  const { page, problems, cashier: manager } = await suite.till(1, { role: "manager" });
  await page.goto(`${suite.server.url}/devices`);
  expect(await page.getByTestId("last-backup").innerText()).toBe("none yet");
  expect(await state(page)).toBe("idle");

  await page.getByTestId("back-up-now").click();
  await page.getByTestId("backup-running").waitFor();
  expect(await page.getByTestId("backup-running").innerText()).toStartWith("Backup started");
  // the part polls itself every 2 s while the backup runs, and stops once it is done
  await page.locator('[data-testid="backups"][data-state="idle"]').waitFor({ timeout: 30_000 });
  const status = readBackupStatus(shop().db.filename);
  expect(status.last).not.toBeNull();
  const file = status.last!.file;
  expect(await page.getByTestId("backup-said").innerText()).toBe(`Backup made: ${file}.`);
  expect(await page.getByTestId("last-backup").innerText()).toContain(file);
  expect(await page.getByTestId("backup-running").count()).toBe(0);

  expect(dirname(file)).toBe(folder());
  expect(readdirSync(folder())).toEqual([file.split("/").at(-1)!]);
  const unpacked = join(suite.server.store.dir, "unpacked.db");
  writeFileSync(unpacked, gunzipSync(await Bun.file(file).bytes()));
  const copy = new Database(unpacked, { readonly: true });
  try {
    expect(copy.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    expect(copy.query<{ n: number }, []>("SELECT count(*) AS n FROM products").get()!.n).toBeGreaterThan(0);
  } finally {
    copy.close();
  }
  expect(auditOf(shop(), "backup.started").map((r) => [r.user, r.register])).toEqual([[manager.userName, "Lane 1"]]);
  expect(problems()).toEqual([]);
}, 60_000);

test("pressed again while the backup still sends its copy to head office: refused with a 409 and its sentence; then it finishes", async () => {
  const link = await linked.registered("Store 91");
  saveHeadOfficeLink(shop().db, link);
  writeSetting(shop().db, "backup_to_head_office", "1");
  // head office is slow to take the copy: the store's row is locked there, so the copy waits to be written
  let release = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holding = linked.hq.sql.begin(async (tx) => {
    await tx`SELECT 1 FROM stores WHERE store_id = ${link.storeId}::uuid FOR UPDATE`;
    locked();
    await released;
  });
  await isLocked;
  try {
    suite.server.store.clock.advance(60_000); // a backup of its own minute: a file of its own
    const at = suite.server.store.clock.now().toISOString();
    const { page, problems } = await suite.till(2, { role: "admin", allow: [expected409] });
    await page.goto(`${suite.server.url}/devices`);
    const startedBefore = auditOf(shop(), "backup.started").length;
    await page.getByTestId("back-up-now").click();
    await page.getByTestId("backup-running").waitFor();
    // the file is made; its copy is on its way to head office, so the backup is still running
    await eventually(() => shop().backups.busy() && readBackupStatus(shop().db.filename).last?.at === at, true, "the backup made and sending", 20_000);

    await page.getByTestId("back-up-now").click();
    const refused = page.locator('#backup-refused [data-code="backup_running"]');
    await refused.waitFor();
    expect(await refused.innerText()).toBe(
      "A backup is being made right now; this page shows its result when it is done. Press again after that if you need another.",
    );
    // as a program sees it: 409, the code, and no second audit row
    const manager = await signIn(shop(), 3, { role: "manager" });
    const again = await send(suite.server.store, "POST", "/devices/backups", { browser: browserOf(manager), htmx: true });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("backup_running");
    expect(auditOf(shop(), "backup.started")).toHaveLength(startedBefore + 1);
    expect(await state(page)).toBe("running");

    release();
    await holding;
    await page.locator('[data-testid="backups"][data-state="idle"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("backup-said").innerText()).toStartWith("Backup made: ");
    expect(await page.getByTestId("backups").innerText()).toContain("Copy at head office");
    const atHq = await linked.hq.sql<{ name: string }[]>`SELECT name FROM store_backups WHERE store_id = ${link.storeId}::uuid AND complete`;
    expect(atHq.map((r) => r.name)).toEqual([readBackupStatus(shop().db.filename).last!.file.split("/").at(-1)!]);
    expect(problems()).toEqual([]);
  } finally {
    release();
    await holding.catch(() => {});
    saveHeadOfficeLink(shop().db, { url: "", storeId: "", token: "" });
    writeSetting(shop().db, "backup_to_head_office", "");
  }
}, 90_000);

test("a cashier cannot back up: refused, nothing started, no audit row", async () => {
  const cashier = await signIn(shop(), 4, { role: "cashier" });
  const before = { audit: auditOf(shop(), "backup.started").length, files: readdirSync(folder()) };
  for (const htmx of [false, true]) {
    const res = await send(suite.server.store, "POST", "/devices/backups", { browser: browserOf(cashier), htmx });
    expect(isDenied(res)).toBe(true);
    const page = await send(suite.server.store, "GET", "/devices/backups", { browser: browserOf(cashier), htmx });
    expect(isDenied(page)).toBe(true);
  }
  expect(shop().backups.busy()).toBe(false);
  expect({ audit: auditOf(shop(), "backup.started").length, files: readdirSync(folder()) }).toEqual(before);
});
