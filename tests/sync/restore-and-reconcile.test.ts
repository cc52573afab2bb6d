// Head office as its people use it: an admin accepts a store's restored database after which every sale is there
// once, and the reconciliation page matches the store's own day totals against what head office holds.
import { beforeAll, expect, test } from "bun:test";
import { createApiToken } from "../../src/sync/hq/api/tokens.ts";
import { codes, signIn } from "../helpers/store.ts";
import { type Hq, signedIn } from "./hq-support.ts";
import { sell, sendAll, withLinkedStores } from "./linked-stores.ts";

const linked = withLinkedStores();
const { registered, connected, hqSaleIds, restoredStore } = linked;
let hq: Hq;
beforeAll(() => {
  hq = linked.hq;
});

test("an admin accepts a restored store database; afterwards head office holds every sale of both databases once", async () => {
  const { link, store, before, lostLocally } = await restoredStore("Store 21", 5, 3);
  try {
    const afterRestore = sell(store, 2);
    await store.sync.sendNow();
    expect(store.sync.status().epochRefused).toBe(true);
    const newEpoch = store.sync.status().epoch;

    // a viewer sees the report but cannot decide; the admin must say it was on purpose
    const viewer = await signedIn(hq, "Vera", "viewer");
    const seen = await viewer.page("/");
    expect(seen.html).toContain("restored epoch reported: not merged");
    expect(seen.html).not.toContain("Accept restored database");
    const admin = await signedIn(hq, "Ada", "admin");
    const overview = await admin.page("/");
    expect(overview.html).toContain(`name="epoch" value="${newEpoch}"`);
    const unticked = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, { form: { epoch: newEpoch } });
    expect(unticked.headers.get("Location")).toContain("Not%20accepted");
    const stale = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, { form: { epoch: "some-older-report", confirm: "1" } });
    expect(stale.status).toBe(409);
    expect((await hq.sql`SELECT epoch FROM stores WHERE store_id = ${link.storeId}::uuid`)[0]!.epoch).not.toBe(newEpoch);

    const accepted = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: newEpoch, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accepted.status).toBe(303);
    expect(decodeURIComponent(accepted.headers.get("Location")!)).toContain("Restored database accepted");
    expect((await admin.page("/")).html).not.toContain("restored epoch reported");

    await sendAll(store);
    expect(await hqSaleIds(link.storeId)).toEqual([...before, ...lostLocally, ...afterRestore].sort());
    const [row] = await hq.sql<{ epoch: string; last_seq: number; restored_epoch: string | null }[]>`
      SELECT epoch, last_seq, restored_epoch FROM stores WHERE store_id = ${link.storeId}::uuid`;
    expect(row).toEqual({ epoch: newEpoch, last_seq: 7, restored_epoch: null });
  } finally {
    store.close();
  }
}, 60_000);

test("the reconciliation page matches a store's own day totals, sent when its shift closes, with head office's sales", async () => {
  const link = await registered("Store 22");
  const store = connected(link);
  try {
    const cashier = await signIn(store, 1, { name: "Ann" });
    for (let i = 0; i < 3; i++) {
      store.till.scan(cashier.registerId, codes.milk);
      store.till.scan(cashier.registerId, codes.bread);
      store.till.pay(cashier.registerId, { method: "cash", amount: 1000 }, cashier.userId);
    }
    const shift = store.shifts.current(cashier.registerId)!;
    store.shifts.close(shift.id, 10_000 + 3 * 468, null, cashier.userId, store.clock.now().toISOString());
    await sendAll(store);
    sell(store, 1); // sold after the report: head office holds it, the report does not cover it
    await sendAll(store);

    const today = store.clock.now().toISOString().slice(0, 10);
    const viewer = await signedIn(hq, "Rita", "viewer");
    const { html } = await viewer.page(`/reconciliation?from=${today}&to=${today}`);
    const row = new RegExp(`<tr data-status="(\\w+)" data-store-id="${link.storeId}">([\\s\\S]*?)</tr>`).exec(html);
    expect(row?.[1]).toBe("match");
    expect(row?.[2]).toContain("3 · €14.04"); // the store's word and head office's covered sales
    expect(row?.[2]).toContain("4 · €15.23"); // all head office holds, the later sale included
    expect(html).toContain("no difference");

    const [closure] = await hq.sql<{ sales_count: number; over_short: number }[]>`
      SELECT sales_count, over_short FROM shift_closures WHERE store_id = ${link.storeId}::uuid`;
    expect(closure).toEqual({ sales_count: 3, over_short: 0 });
    const bad = await viewer.page(`/reconciliation?from=${today}&to=2000-01-01`);
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain("Choose a period");

    // the same for programs, behind an API token
    const { secret } = await createApiToken(hq.sql, "Reconciliation export", "test");
    const api = (q: string) => hq.app.request(`/api/v1/reconciliation?${q}`, { headers: { Authorization: `Bearer ${secret}` } });
    const res = await api(`from=${today}&to=${today}&store=${link.storeId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { status: string; reported: { sales_count: number }; held: { sales_count: number } }[] };
    expect(body.data.map((d) => [d.status, d.reported.sales_count, d.held.sales_count])).toEqual([["match", 3, 4]]);
    for (const q of ["from=2024-01-01&to=2026-01-01", `from=${today}`, "from=2026-02-30&to=2026-03-01"]) {
      const refused = await api(q);
      expect({ q, status: refused.status, code: ((await refused.json()) as { error: { code: string } }).error.code }).toEqual({
        q,
        status: 400,
        code: "invalid_period",
      });
    }
  } finally {
    store.close();
  }
}, 60_000);

test("a restored database that sold past head office's last number still notices (head office names the changed items)", async () => {
  const { link, store, before, lostLocally } = await restoredStore("Store 23", 2, 1);
  try {
    const afterRestore = sell(store, 4); // seq 3..6: 3 collides with head office's 3, 4..6 are past it
    const oldEpoch = store.sync.status().epoch;
    await store.sync.sendNow();
    expect(store.sync.status()).toMatchObject({ epochRefused: true, previousEpoch: oldEpoch });
    expect(store.sync.status().epochReason).toContain("other contents");
    const admin = await signedIn(hq, "Ari", "admin");
    await admin.page("/");
    const accepted = await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
      form: { epoch: store.sync.status().epoch, confirm: "1", reviewed: "1", retire_live: "1" },
    });
    expect(accepted.status).toBe(303);
    await sendAll(store);
    expect(await hqSaleIds(link.storeId)).toEqual([...before, ...lostLocally, ...afterRestore].sort());
  } finally {
    store.close();
  }
}, 60_000);

test("a backup taken before a whole batch was sent: the copy's first batch matches head office, its later items do not, and it notices", async () => {
  // the backup holds 120 sales not yet sent; head office then gets 125; the restored copy sells 10 of its own at 121..130
  const { link, store, before, lostLocally } = await restoredStore("Store 24", 120, 5, false);
  try {
    const afterRestore = sell(store, 10);
    for (let i = 0; i < 5 && !store.sync.status().epochRefused; i++) await store.sync.sendNow();
    expect(store.sync.status().epochRefused).toBe(true);
    const admin = await signedIn(hq, "Abe", "admin");
    await admin.page("/");
    expect(
      (
        await admin.request("POST", `/stores/${link.storeId}/accept-epoch`, {
          form: { epoch: store.sync.status().epoch, confirm: "1", reviewed: "1", retire_live: "1" },
        })
      ).status,
    ).toBe(303);
    await sendAll(store);
    expect(await hqSaleIds(link.storeId)).toEqual([...before, ...lostLocally, ...afterRestore].sort());
  } finally {
    store.close();
  }
}, 60_000);
