// A store's head-office credentials belong to one installation of the store server. A second server set up with the
// same store id and token is a clone: reported at head office, never offered as a restored database, never merged;
// the real store keeps sending. A restored copy of the store's own database is still offered, with what it would
// bring, and accepting it never retires an epoch that is still sending unless the admin says so.
import { beforeAll, expect, test } from "bun:test";
import { createApp } from "../../src/server/app.ts";
import { signIn } from "../helpers/store.ts";
import { errorCode, type Hq, signedIn } from "./hq-support.ts";
import { installationOf, sell, sendAll, withLinkedStores } from "./linked-stores.ts";

const linked = withLinkedStores();
const { registered, connected, hqSaleIds } = linked;
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

test("a clone of a store's installation never merged (two servers with one token)", async () => {
  const link = await registered("Store 31");
  const real = connected(link);
  const clone = connected(link); // a second server someone set up with the same store id and token
  try {
    const sold = sell(real, 3);
    await sendAll(real);
    const cloned = sell(clone, 2);
    await clone.sync.sendNow();

    // head office refuses the clone as such: nothing reported as a restored database, nothing merged
    const [row] = await hq.sql<{ restored_epoch: string | null; epoch: string }[]>`
      SELECT restored_epoch, epoch FROM stores WHERE store_id = ${link.storeId}::uuid`;
    expect(row).toEqual({ restored_epoch: null, epoch: real.sync.status().epoch });
    expect(clone.sync.status()).toMatchObject({ pending: 2, cloneRefused: true });
    expect(clone.sync.status().lastError).toContain("another installation");

    // an admin who tries to accept the clone's database anyway is refused
    const admin = await signedIn(hq, "Ada", "admin");
    await admin.page(`/stores/${link.storeId}`);
    const accept = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: clone.sync.status().epoch, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accept.status).toBe(409);
    expect(await errorCode(accept)).toBe("epoch_not_reported");

    // the real store goes on selling and sending; head office holds its sales only, each once
    const later = sell(real, 1);
    await sendAll(real);
    expect(await hqSaleIds(link.storeId)).toEqual([...sold, ...later].sort());
    expect(cloned.some((id) => sold.includes(id))).toBe(false);

    // the store's page at head office shows the clone, with its installation and what it tried to send
    const { res, html } = await admin.page(`/stores/${link.storeId}`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="clone-alert"');
    expect(html).toContain(installationOf(clone));
    expect(html).not.toContain('data-testid="accept-epoch"');
    const viewer = await signedIn(hq, "Vic", "viewer");
    expect((await viewer.page(`/stores/${link.storeId}`)).html).toContain('data-testid="clone-alert"');
  } finally {
    real.close();
    clone.close();
  }
}, 60_000);

test("a restored copy of the store's own database is offered with what it brings; a live epoch is retired only when the admin says so", async () => {
  const { link, store, before: kept, lostLocally: lost, installation } = await linked.restoredStore("Store 32", 3, 2);
  try {
    expect(installationOf(store)).toBe(installation); // the restored file is the same installation
    const since = sell(store, 2);
    await store.sync.sendNow();
    await store.sync.sendNow();
    expect(store.sync.status()).toMatchObject({ epochRefused: true, cloneRefused: false });
    const epoch = store.sync.status().epoch;

    const admin = await signedIn(hq, "Abe", "admin");
    // accepting from the overview leads to the store's page first, where what waits is shown
    await admin.page("/");
    const quick = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, { form: { epoch, confirm: "1" } });
    expect(quick.status).toBe(303);
    expect(quick.headers.get("Location")).toStartWith(`/stores/${link.storeId}`);
    const { html } = await admin.page(`/stores/${link.storeId}`);
    const summary = /data-testid="restored-summary">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
    expect(summary).toContain("5 sales"); // the 3 kept in the backup and the 2 sold since
    expect(summary).toContain("3 of them head office holds already");
    expect(summary).toContain("2 new");
    expect(summary).toContain('data-testid="restored-range"');
    expect(html).toContain('data-testid="epoch-live"'); // the current epoch sent moments ago

    // not said: the epoch still sending is not retired
    const unsaid = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, { form: { epoch, confirm: "1", reviewed: "1" } });
    expect(unsaid.status).toBe(409);
    expect(await errorCode(unsaid)).toBe("epoch_live");
    const said = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, { form: { epoch, confirm: "1", reviewed: "1", retire_live: "1" } });
    expect(said.status).toBe(303);
    await sendAll(store);
    expect(await hqSaleIds(link.storeId)).toEqual([...kept, ...lost, ...since].sort());
  } finally {
    store.close();
  }
}, 60_000);

test("a replacement server: head office moves the store to the new installation, whose database is then accepted as a new epoch", async () => {
  const link = await registered("Store 33");
  const old = connected(link);
  const replacement = connected(link);
  try {
    const sold = sell(old, 2);
    await sendAll(old);
    const since = sell(replacement, 1);
    await replacement.sync.sendNow();
    expect(replacement.sync.status().cloneRefused).toBe(true);

    const admin = await signedIn(hq, "Amy", "admin");
    await admin.page(`/stores/${link.storeId}`);
    const unticked = await admin.request("POST", `/stores/${link.storeId}/installation`, { form: { installation: installationOf(replacement) } });
    expect(unticked.status).toBe(422);
    const moved = await admin.request("POST", `/stores/${link.storeId}/installation`, {
      form: { installation: installationOf(replacement), confirm: "1" },
    });
    expect(moved.status).toBe(303);

    await replacement.sync.sendNow();
    expect(replacement.sync.status()).toMatchObject({ cloneRefused: false, epochRefused: true });
    await old.sync.sendNow(); // nothing waits there, and it is the clone now
    sell(old, 1);
    await old.sync.sendNow();
    expect(old.sync.status().cloneRefused).toBe(true);

    await admin.page(`/stores/${link.storeId}`);
    const accepted = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: replacement.sync.status().epoch, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accepted.status).toBe(303);
    await sendAll(replacement);
    expect(await hqSaleIds(link.storeId)).toEqual([...sold, ...since].sort());
  } finally {
    old.close();
    replacement.close();
  }
}, 60_000);

test("the first installation heard from is the store's, a catalog pull before any sale included; the clone's page says so", async () => {
  const link = await registered("Store 34");
  const real = connected(link);
  const clone = connected(link);
  try {
    await real.catalogReleases.pull(); // connected, nothing sold yet: head office hears from it first
    const [bound] = await hq.sql<{ installation_id: string }[]>`SELECT installation_id FROM stores WHERE store_id = ${link.storeId}::uuid`;
    expect(bound!.installation_id).toBe(installationOf(real));

    await clone.catalogReleases.pull(); // the chain's catalog it may have; head office records it as a clone already
    expect(clone.catalogReleases.lastError()).toBeNull();
    expect((await hq.sql`SELECT 1 FROM store_clones WHERE installation_id = ${installationOf(clone)}`).length).toBe(1);
    sell(clone, 1);
    await clone.sync.sendNow();
    expect(clone.sync.status()).toMatchObject({ cloneRefused: true, installationId: installationOf(clone) });
    const [seen] = await hq.sql<{ batches: number; epoch: string }[]>`
      SELECT batches, epoch FROM store_clones WHERE store_id = ${link.storeId}::uuid AND installation_id = ${installationOf(clone)}`;
    // three exchanges refused: the catalog pull, the store's facts (zone and journal key) and the batch
    expect(seen).toEqual({ batches: 3, epoch: clone.sync.status().epoch });

    // the clone's manager reads why on the Devices page
    const manager = await signIn(clone, 9, { role: "manager", shift: false });
    const devices = await (await createApp(clone).request("/devices/head-office", { headers: manager.headers })).text();
    expect(devices).toContain('data-testid="clone-refused"');
    expect(devices).toContain(installationOf(clone));

    const sold = sell(real, 1);
    await sendAll(real);
    expect(await hqSaleIds(link.storeId)).toEqual(sold);
  } finally {
    real.close();
    clone.close();
  }
}, 60_000);
