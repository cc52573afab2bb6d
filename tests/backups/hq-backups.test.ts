// Backups and head office, with real stores on real SQLite files and head office on a real PostgreSQL: the nightly
// backup sends its copy, head office keeps the last three per store, lists them on the store's page and lets an admin
// download one (audited); refused uploads keep nothing. A store restored from a backup takes a new epoch; once head
// office accepts it, the sales made after the restore arrive and each sale is held once.
import { beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { nightlyBackups } from "../../src/server/backups/nightly.ts";
import { restoreBackup } from "../../src/server/backups/restore.ts";
import { sendBackupsToHeadOffice } from "../../src/server/backups/upload.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { BACKUPS_KEPT } from "../../src/sync/hq/backups/backups.ts";
import { TestClock } from "../helpers/store.ts";
import { errorCode, type Hq, ORIGIN, signedIn } from "../sync/hq-support.ts";
import { type Link, sell, sendAll, withLinkedStores } from "../sync/linked-stores.ts";

const linked = withLinkedStores();
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

const dataDir = (store: Shop) => store.db.filename.replace(/\/shopflow\.db$/, "");
const kept = async (storeId: string) =>
  (await hq.sql<{ name: string; complete: boolean }[]>`SELECT name, complete FROM store_backups WHERE store_id = ${storeId}::uuid ORDER BY backup_id`).map(
    (r) => r.name,
  );

/** A copy sent as a store would, or as something else would: the raw answer. */
function post(link: Link, body: Buffer, headers: Record<string, string> = {}) {
  return fetch(`${link.url}/sync/v1/backups`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${link.token}`,
      "Content-Type": "application/gzip",
      "ShopFlow-Backup-Name": `shopflow-${link.storeId}-20261125T023000Z.db.gz`,
      ...headers,
    },
    body: new Blob([new Uint8Array(body)]),
  });
}

function inProcess(link: Link, body: Buffer, length: string) {
  const headers = new Headers({
    Authorization: `Bearer ${link.token}`,
    "Content-Type": "application/gzip",
    "ShopFlow-Backup-Name": `shopflow-${link.storeId}-20261125T023000Z.db.gz`,
  });
  headers.set("Content-Length", length);
  return Promise.resolve(hq.app.request(`${ORIGIN}/sync/v1/backups`, { method: "POST", headers, body: new Blob([new Uint8Array(body)]) }));
}

test("the nightly backup sends its copy; head office keeps the last three, lists them, and an admin downloads one (audited)", async () => {
  const link = await linked.registered("Store 71");
  const store = linked.connected(link);
  const clock = new TestClock(new Date("2026-11-20T02:30:00Z"));
  try {
    sell(store, 3);
    writeSetting(store.db, "backup_to_head_office", "1");
    const nightly = nightlyBackups({ db: store.db, clock, sendToHeadOffice: sendBackupsToHeadOffice(store.db) });
    const files: string[] = [];
    for (let night = 0; night < 4; night++) {
      const outcome = await nightly.runNow();
      if (!outcome.ok) throw new Error(outcome.problem);
      expect(outcome.uploaded).toBe(true);
      files.push(outcome.done.file);
      clock.advance(86_400_000);
    }
    const names = files.map((f) => f.split("/").at(-1)!);
    expect(await kept(link.storeId)).toEqual(names.slice(-BACKUPS_KEPT));

    const viewer = await signedIn(hq, "Vic", "viewer");
    const list = await viewer.page(`/stores/${link.storeId}/backups`);
    expect(list.res.status).toBe(200);
    expect(list.html.match(/data-testid="store-backup"/g)).toHaveLength(BACKUPS_KEPT);
    expect(list.html).not.toContain('data-testid="backup-download"');
    const [id] = (await hq.sql<{ id: string }[]>`SELECT max(backup_id)::text AS id FROM store_backups WHERE store_id = ${link.storeId}::uuid`).map((r) => r.id);
    const refused = await viewer.request("GET", `/stores/${link.storeId}/backups/${id}`);
    expect(refused.status).toBe(403);

    const admin = await signedIn(hq, "Ada", "admin");
    expect((await admin.page(`/stores/${link.storeId}`)).html).toContain(`href="/stores/${link.storeId}/backups"`);
    expect((await admin.page(`/stores/${link.storeId}/backups`)).html).toContain('data-testid="backup-download"');
    const download = await admin.request("GET", `/stores/${link.storeId}/backups/${id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="${names.at(-1)}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(readFileSync(files.at(-1)!))).toBe(true);
    const audit = await hq.sql<{ who: string; subject: string }[]>`
      SELECT who, subject FROM hq_audit WHERE action = 'store.backup_downloaded' AND store_id = ${link.storeId}::uuid`;
    expect([...audit]).toEqual([{ who: "Ada", subject: `backup ${names.at(-1)} of Store 71` }]);
    const gone = await admin.request("GET", `/stores/${link.storeId}/backups/999999`);
    expect(gone.status).toBe(404);
  } finally {
    store.close();
  }
}, 60_000);

test("uploads head office refuses keep nothing: wrong type, no length, not gzip, a bad name, a wrong token, cut short", async () => {
  const link = await linked.registered("Store 72");
  const gz = gzipSync(Buffer.from("a store database, say"));
  const cases: [Response, number, string][] = [
    [await post(link, gz, { "Content-Type": "application/json" }), 415, "unsupported_media_type"],
    [await post(link, Buffer.from("plain text, not gzipped")), 415, "unsupported_media_type"],
    [await post(link, gz, { "ShopFlow-Backup-Name": "../../etc/passwd" }), 422, "invalid_input"],
    [await post(link, gz, { Authorization: "Bearer not-the-token-at-all" }), 401, "store_token_invalid"],
    // in-process, where the Content-Length is the one given: over the limit, and more than arrives
    [await inProcess(link, gz, String(2 * 1024 * 1024 * 1024)), 413, "body_too_large"],
    [await inProcess(link, gz, String(gz.length + 10)), 400, "bad_request"],
    [await inProcess(link, gz, "lots"), 400, "bad_request"],
  ];
  for (const [res, status, code] of cases) {
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  }
  expect(await kept(link.storeId)).toEqual([]);
  const fine = await post(link, gz);
  expect(fine.status).toBe(201);
  expect(await kept(link.storeId)).toEqual([`shopflow-${link.storeId}-20261125T023000Z.db.gz`]);
});

test("a store restored with shopflow restore takes a new epoch; once head office accepts it, sales after the restore arrive, each sale once", async () => {
  const link = await linked.registered("Store 73");
  const first = linked.connected(link);
  const dir = dataDir(first);
  const clock = new TestClock(new Date("2026-11-20T02:30:00Z"));
  const before = sell(first, 3);
  await sendAll(first);
  const backup = await nightlyBackups({ db: first.db, clock }).runNow();
  if (!backup.ok) throw new Error(backup.problem);
  const lost = sell(first, 2); // sold and sent after the backup: gone from the store's disk, still at head office
  await sendAll(first);
  const oldEpoch = first.sync.status().epoch;
  first.close();

  const restored = await restoreBackup(backup.done.file, join(dir, "shopflow.db"), { at: new Date(), epoch: Bun.randomUUIDv7() });
  expect(restored.previousEpoch).toBe(oldEpoch);
  const store = openShop({ dataDir: dir });
  try {
    expect(store.sync.status()).toMatchObject({ epoch: restored.epoch, previousEpoch: oldEpoch });
    const after = sell(store, 2);
    await store.sync.sendNow();
    expect(store.sync.status().epochRefused).toBe(true);
    const admin = await signedIn(hq, "Abe", "admin");
    expect((await admin.page(`/stores/${link.storeId}`)).html).toContain('data-testid="restored-summary"');
    const accepted = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: restored.epoch!, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accepted.status).toBe(303);
    await sendAll(store);
    expect(await linked.hqSaleIds(link.storeId)).toEqual([...before, ...lost, ...after].sort());
  } finally {
    store.close();
  }
}, 60_000);
