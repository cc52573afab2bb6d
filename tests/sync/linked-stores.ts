// What the tests of real stores sending to head office share (clones, new epochs, restored databases): head office on a
// real socket for the file's tests, stores registered there and connected to it, selling at Lane 1, sending until
// nothing waits, and a store restored from a backup after a disk failure.
import { afterAll, beforeAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Shop } from "../../src/server/compose.ts";
import { addStore } from "../../src/sync/hq/stores/stores.ts";
import { codes } from "../helpers/store.ts";
import { type Hq, startHq } from "./hq-support.ts";
import { backUp, connectedStore, restoreBackup } from "./support.ts";

/** What a store's Devices page is given to reach head office. */
export type Link = { url: string; storeId: string; token: string };

export type LinkedStores = {
  /** Head office; read it inside tests (it starts before them). */
  readonly hq: Hq;
  /** Temp dirs and backup files removed after the file's tests. */
  readonly dirs: string[];
  /** A store registered at head office under `name`, as its Devices page would be told. */
  registered(name: string): Promise<Link>;
  /** A real store connected to head office with `link`; its dir is removed after the file's tests. */
  connected(link: Link): Shop;
  /** The ids of the sales head office holds for a store, in order. */
  hqSaleIds(storeId: string): Promise<string[]>;
  /**
   * A store that sold `before` sales and sent them (unless `sentBeforeBackup` is false), was backed up, sold and sent
   * `lost` more, then had its database restored from that backup (a disk failure): the restored store, the ids of both
   * groups of sales, and the installation the first store was.
   */
  restoredStore(
    name: string,
    before: number,
    lost: number,
    sentBeforeBackup?: boolean,
  ): Promise<{ link: Link; store: Shop; before: string[]; lostLocally: string[]; installation: string }>;
};

/** Head office on a real socket for the file's tests: started before them, stopped after, with the stores' dirs removed. */
export function withLinkedStores(): LinkedStores {
  let hq: Hq | undefined;
  let server: ReturnType<typeof Bun.serve> | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    hq = await startHq();
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: hq.app.fetch });
  }, 60_000);
  afterAll(async () => {
    await server?.stop(true);
    await hq?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const registered = async (name: string): Promise<Link> => {
    const reg = await addStore(hq!.sql, name);
    return { url: `http://127.0.0.1:${server!.port}`, storeId: reg.storeId, token: reg.token };
  };
  const connected = (link: Link) => connectedStore(link, dirs);
  return {
    get hq() {
      return hq!;
    },
    dirs,
    registered,
    connected,
    hqSaleIds: async (storeId) =>
      (await hq!.sql<{ id: string }[]>`SELECT sale_id::text AS id FROM sales WHERE store_id = ${storeId}::uuid ORDER BY 1`).map((r) => r.id),
    async restoredStore(name, before, lost, sentBeforeBackup = true) {
      const link = await registered(name);
      const first = connected(link);
      const dir = first.db.filename.replace(/\/shopflow\.db$/, "");
      const backup = join(dir, "..", `backup-${link.storeId}.db`);
      dirs.push(backup);
      const kept = sell(first, before);
      if (sentBeforeBackup) await sendAll(first);
      backUp(first, backup);
      const lostLocally = sell(first, lost);
      await sendAll(first);
      const installation = installationOf(first);
      first.close();
      return { link, store: restoreBackup(dir, backup), before: kept, lostLocally, installation };
    },
  };
}

/** `n` cash sales of milk at Lane 1 (1 to 5 of them each, unless `qty` says), paid with 20.00; their ids. */
export function sell(store: Shop, n: number, qty = (i: number) => 1 + (i % 5)): string[] {
  const registerId = store.db.query<{ id: number }, []>("SELECT id FROM registers WHERE name = 'Lane 1'").get()!.id;
  return Array.from(
    { length: n },
    (_, i) => store.checkout.sell(registerId, [{ barcode: codes.milk, qty: qty(i) }], [{ method: "cash", amount: 2000 }]).sale.id,
  );
}

/** Send until nothing waits at the store, and head office took it all. */
export async function sendAll(store: Shop): Promise<void> {
  for (let i = 0; i < 50 && store.sync.status().pending > 0; i++) await store.sync.sendNow();
  expect(store.sync.status()).toMatchObject({ pending: 0, epochRefused: false });
}

/** The installation a store's database belongs to. */
export const installationOf = (store: Shop) => store.db.query<{ id: string }, []>("SELECT installation_id AS id FROM sync_state WHERE id = 1").get()!.id;
