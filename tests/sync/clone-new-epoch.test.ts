// When head office asks for it, the store starts a new database epoch: from the Devices page (a manager) or the
// command line. Head office then offers it as a restored database; once an admin accepts it, the store sends its whole
// outbox again and head office keeps each sale once.
import { beforeAll, expect, test } from "bun:test";
import { createApp } from "../../src/server/app.ts";
import { runCli } from "../../src/server/cli/index.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { signIn } from "../helpers/store.ts";
import { type Hq, signedIn } from "./hq-support.ts";
import { sell as sellAtLane1, sendAll, withLinkedStores } from "./linked-stores.ts";

const linked = withLinkedStores();
const { registered, connected, hqSaleIds } = linked;
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

/** One milk a sale. */
const sell = (store: Shop, n: number) => sellAtLane1(store, n, () => 1);

const syncState = (store: Shop) =>
  store.db.query<{ epoch: string; acked_seq: number; previous_epoch: string | null }, []>("SELECT epoch, acked_seq, previous_epoch FROM sync_state").get()!;

test("a manager starts a new epoch from the Devices page; head office accepts it and holds every sale once", async () => {
  const link = await registered("Store 41");
  const store = connected(link);
  try {
    const sold = sell(store, 3);
    await sendAll(store);
    const before = syncState(store);
    const app = createApp(store);
    const manager = await signIn(store, 9, { role: "manager", shift: false });
    const post = (form: Record<string, string>) =>
      app.request("/devices/head-office/new-epoch", {
        method: "POST",
        headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    expect(await (await app.request("/devices", { headers: manager.headers })).text()).toContain('data-testid="new-epoch-form"');

    const unticked = await post({});
    expect(unticked.status).toBe(422);
    expect(syncState(store)).toEqual(before); // nothing written

    const started = await post({ confirm: "1" });
    expect(started.status).toBe(303);
    const after = syncState(store);
    expect(after).toMatchObject({ acked_seq: 0, previous_epoch: before.epoch });
    expect(after.epoch).not.toBe(before.epoch);
    const audit = store.db.query<{ detail: string }, []>("SELECT detail FROM audit_log WHERE action = 'sync.new_epoch'").all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ epoch: after.epoch, previous_epoch: before.epoch, unsent: 0 });

    // head office offers it; the old epoch sent moments ago, so the admin says it is retired on purpose
    const later = sell(store, 1);
    await store.sync.sendNow();
    expect(store.sync.status().epochRefused).toBe(true);
    const admin = await signedIn(hq, "Ann", "admin");
    const { html } = await admin.page(`/stores/${link.storeId}`);
    expect(html).toContain('data-testid="restored-summary"');
    expect(html).toContain("3 of them head office holds already");
    const accepted = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: after.epoch, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accepted.status).toBe(303);
    await sendAll(store);
    expect(await hqSaleIds(link.storeId)).toEqual([...sold, ...later].sort());
  } finally {
    store.close();
  }
}, 60_000);

test("shopflow sync new-epoch: only with --yes; status shows the installation and the epochs", async () => {
  const link = await registered("Store 42");
  const store = connected(link);
  const dir = store.db.filename.replace(/\/shopflow\.db$/, "");
  const before = syncState(store);
  store.close();

  expect(await runCli(["sync", "new-epoch", "--data", dir])).toBe(2);
  expect(await runCli(["sync", "new-epoch", "--yes", "--reason", "head office asked on the phone", "--data", dir])).toBe(0);
  expect(await runCli(["sync", "status", "--data", dir])).toBe(0);
  expect(await runCli(["sync", "rewind", "--data", dir])).toBe(2);

  const reopened = openShop({ dataDir: dir });
  try {
    const s = reopened.db
      .query<{ epoch: string; acked_seq: number; previous_epoch: string | null; epoch_reason: string }, []>(
        "SELECT epoch, acked_seq, previous_epoch, epoch_reason FROM sync_state",
      )
      .get()!;
    expect(s).toMatchObject({ previous_epoch: before.epoch, acked_seq: 0, epoch_reason: "head office asked on the phone" });
    expect(s.epoch).not.toBe(before.epoch);
  } finally {
    reopened.close();
  }
}, 60_000);
