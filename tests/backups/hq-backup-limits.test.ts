// Head office's limits on the stores' backup copies, set by an admin on a store's backups page, with a real store's
// nightly backup sending real copies to head office on a real PostgreSQL: the copies kept follow the setting (fewer
// removes the older ones at once), the size limit refuses a larger copy, every change is audited, and a value out of
// bounds, or a person who may not set them, is refused with nothing written.
import { beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { nightlyBackups } from "../../src/server/backups/nightly.ts";
import { sendBackupsToHeadOffice } from "../../src/server/backups/upload.ts";
import type { Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { limitStores } from "../../src/sync/hq/people/changes.ts";
import { TestClock } from "../helpers/store.ts";
import { errorCode, type Hq, ORIGIN, signedIn } from "../sync/hq-support.ts";
import { sell, withLinkedStores } from "../sync/linked-stores.ts";

const linked = withLinkedStores();
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

const kept = async (storeId: string) =>
  (await hq.sql<{ name: string }[]>`SELECT name FROM store_backups WHERE store_id = ${storeId}::uuid AND complete ORDER BY backup_id`).map((r) => r.name);
const limitsRow = async () =>
  (
    await hq.sql<{ copies_kept: number; max_bytes: string; changed_by: string | null }[]>`
    SELECT copies_kept, max_bytes::text, changed_by FROM hq_backup_limits`
  ).map((r) => ({ ...r }));
const auditLines = async () =>
  (
    await hq.sql<{ who: string; before: unknown; after: unknown }[]>`
    SELECT who, before, after FROM hq_audit WHERE action = 'backups.limits_changed' ORDER BY id`
  ).map((r) => ({ ...r }));

/** The store's nightly backup, `n` nights, a day apart: the names of the files it made and sent. */
async function nights(store: Shop, clock: TestClock, n: number): Promise<string[]> {
  sell(store, 1);
  writeSetting(store.db, "backup_to_head_office", "1");
  const nightly = nightlyBackups({ db: store.db, clock, sendToHeadOffice: sendBackupsToHeadOffice(store.db) });
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const outcome = await nightly.runNow();
    if (!outcome.ok) throw new Error(outcome.problem);
    expect(outcome.uploaded).toBe(true);
    names.push(outcome.done.file.split("/").at(-1)!);
    clock.advance(86_400_000);
  }
  return names;
}

test("an admin sets how many copies are kept: two, then the store's copies follow; fewer removes the older at once; each change audited", async () => {
  const link = await linked.registered("Store 81");
  const other = await linked.registered("Store 82");
  const [store, otherStore] = [linked.connected(link), linked.connected(other)];
  const clock = new TestClock(new Date("2026-11-20T02:30:00Z"));
  const otherNames = await nights(otherStore, clock, 3);
  expect(await kept(other.storeId)).toEqual(otherNames);

  const admin = await signedIn(hq, "Ada", "admin");
  const before = await admin.page(`/stores/${link.storeId}/backups`);
  expect(before.html).toContain("The last 3 are kept, each at most 1024 MB.");
  expect(before.html).toContain('data-testid="backup-limits-section"');
  const saved = await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "2", max_mb: "50" } });
  expect(saved.status).toBe(303);
  // the other store's third copy went at once: the limit holds for every store
  expect(await kept(other.storeId)).toEqual(otherNames.slice(-2));
  const after = await admin.page(saved.headers.get("Location")!);
  expect(after.html).toContain("Limits saved: 2 copies kept per store, each at most 50 MB; 1 older copy removed.");
  expect(after.html).toContain("The last 2 are kept, each at most 50 MB.");

  const names = await nights(store, clock, 4);
  expect(await kept(link.storeId)).toEqual(names.slice(-2));

  await admin.page(`/stores/${link.storeId}/backups`);
  expect((await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "4", max_mb: "50" } })).status).toBe(303);
  const more = await nights(store, clock, 3);
  expect(await kept(link.storeId)).toEqual([...names, ...more].slice(-4));

  expect(await limitsRow()).toEqual([{ copies_kept: 4, max_bytes: String(50 * 1_048_576), changed_by: "Ada" }]);
  expect(await auditLines()).toEqual([
    { who: "Ada", before: { copies_kept: 3, max_bytes: 1024 * 1_048_576 }, after: { copies_kept: 2, max_bytes: 50 * 1_048_576, copies_removed: 1 } },
    { who: "Ada", before: { copies_kept: 2, max_bytes: 50 * 1_048_576 }, after: { copies_kept: 4, max_bytes: 50 * 1_048_576, copies_removed: 0 } },
  ]);
  // the same limits again: nothing changes, no line
  await admin.page(`/stores/${link.storeId}/backups`);
  const same = await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "4", max_mb: "50" } });
  expect(decodeURIComponent(same.headers.get("Location") ?? "")).toContain("nothing changed");
  expect(await auditLines()).toHaveLength(2);
  store.close();
  otherStore.close();
}, 120_000);

test("the size limit is the admin's: a copy larger than it is refused (413, its sentence), nothing kept", async () => {
  const link = await linked.registered("Store 83");
  const admin = await signedIn(hq, "Abe", "admin");
  await admin.page(`/stores/${link.storeId}/backups`);
  expect((await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "4", max_mb: "1" } })).status).toBe(303);
  const big = gzipSync(randomBytes(1_200_000), { level: 0 });
  const send = (length: string) =>
    Promise.resolve(
      hq.app.request(`${ORIGIN}/sync/v1/backups`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${link.token}`,
          "Content-Type": "application/gzip",
          "Content-Length": length,
          "ShopFlow-Backup-Name": `shopflow-${link.storeId}-20261125T023000Z.db.gz`,
        },
        body: new Blob([new Uint8Array(big)]),
      }),
    );
  const refused = await send(String(big.length));
  expect(refused.status).toBe(413);
  expect(await errorCode(refused)).toBe("body_too_large");
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("larger than 1 MB");
  // said to be small, larger as it arrives: refused while streaming, nothing kept
  const lying = await send("1000");
  expect(lying.status).toBe(413);
  expect(await hq.sql`SELECT 1 FROM store_backups WHERE store_id = ${link.storeId}::uuid`).toHaveLength(0);
  await admin.page(`/stores/${link.storeId}/backups`);
  expect((await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "4", max_mb: "2" } })).status).toBe(303);
  expect((await send(String(big.length))).status).toBe(201);
}, 60_000);

test("limits out of bounds, or set by someone who may not, are refused with a sentence and nothing is written", async () => {
  const link = await linked.registered("Store 84");
  const admin = await signedIn(hq, "Ann", "admin");
  const before = { limits: await limitsRow(), audit: await auditLines() };
  const cases: [Record<string, string>, string][] = [
    [{ copies_kept: "0", max_mb: "100" }, "Copies kept per store is a whole number from 1 to 30."],
    [{ copies_kept: "31", max_mb: "100" }, "Copies kept per store is a whole number from 1 to 30."],
    [{ copies_kept: "three", max_mb: "100" }, "Copies kept per store is a whole number from 1 to 30."],
    [{ copies_kept: "", max_mb: "100" }, "Copies kept per store is a whole number from 1 to 30."],
    [{ copies_kept: "3", max_mb: "0" }, "The largest copy is a whole number of MB from 1 to 10240 (10 GB)."],
    [{ copies_kept: "3", max_mb: "10241" }, "The largest copy is a whole number of MB from 1 to 10240 (10 GB)."],
    [{ copies_kept: "3", max_mb: "1.5" }, "The largest copy is a whole number of MB from 1 to 10240 (10 GB)."],
    [{ copies_kept: "3" }, "The largest copy is a whole number of MB from 1 to 10240 (10 GB)."],
  ];
  for (const [form, sentence] of cases) {
    await admin.page(`/stores/${link.storeId}/backups`);
    const res = await admin.request("POST", `/stores/${link.storeId}/backups/limits`, { form });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`Not saved: ${sentence}`);
    // what was typed is still in the form
    if (form.max_mb) expect(html).toContain(`value="${form.max_mb}"`);
  }
  for (const role of ["viewer", "catalog"] as const) {
    const person = await signedIn(hq, `Someone ${role}`, role);
    await person.page(`/stores/${link.storeId}/backups`);
    expect((await person.page(`/stores/${link.storeId}/backups`)).html).not.toContain('data-testid="backup-limits-section"');
    const res = await person.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "5", max_mb: "100" } });
    expect(res.status).toBe(403);
  }
  // an admin limited to this store sets nothing for the chain's other stores
  const limited = await signedIn(hq, "Lim", "admin");
  const [lim] = await hq.sql<{ id: number }[]>`SELECT id FROM hq_users WHERE name = 'Lim'`;
  await limitStores(hq.sql, Number(lim!.id), [link.storeId], "test");
  const limitedPage = await limited.page(`/stores/${link.storeId}/backups`);
  expect(limitedPage.html).not.toContain('data-testid="backup-limits-section"');
  const res = await limited.request("POST", `/stores/${link.storeId}/backups/limits`, { form: { copies_kept: "5", max_mb: "100" } });
  expect(res.status).toBe(403);
  expect(await errorCode(res)).toBe("forbidden");
  // good limits posted to the address of a store that is not registered set nothing either
  const nowhere = await admin.request("POST", "/stores/01a2483a-0000-7000-8000-000000000000/backups/limits", { form: { copies_kept: "5", max_mb: "100" } });
  expect(nowhere.status).toBe(404);
  expect({ limits: await limitsRow(), audit: await auditLines() }).toEqual(before);
}, 60_000);
