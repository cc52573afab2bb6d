// A manager connects the store to head office on the Devices page and sees what is waiting to be sent.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let manager: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  manager = await signIn(t.store, 9, { role: "manager", shift: false });
});
afterEach(() => t.close());

const storeId = "0196d6f0-1234-7000-8000-00000000abcd";
const post = (fields: Record<string, string>) =>
  t.app.request("/devices/head-office", {
    method: "POST",
    headers: { ...manager.headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const settings = () =>
  Object.fromEntries(
    t.store.db
      .query<{ key: string; value: string }, []>("SELECT key, value FROM settings WHERE key LIKE 'hq_%' ORDER BY key")
      .all()
      .map((r) => [r.key, r.value]),
  );

test("connecting: the link is kept, the page shows it and what waits, never the token", async () => {
  t.store.checkout.sell(t.registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 200 }]);
  const res = await post({ hq_url: "https://hq.example.com", hq_store_id: storeId, hq_token: "sfhq_secret-token-1234" });
  expect(res.status).toBe(303);
  expect(settings()).toEqual({ hq_store_id: storeId, hq_token: "sfhq_secret-token-1234", hq_url: "https://hq.example.com" });
  expect(t.store.headOffice()).toEqual({ url: "https://hq.example.com", storeId, token: "sfhq_secret-token-1234" });

  const html = await (await t.app.request("/devices", { headers: manager.headers })).text();
  expect(html).toContain(`https://hq.example.com (store ${storeId})`);
  expect(html).toMatch(/data-testid="sync-pending">1 item/);
  expect(html).toMatch(/data-testid="catalog-version">local</);
  expect(html).not.toContain("sfhq_secret-token-1234");
  const partial = await (await t.app.request("/devices/head-office", { headers: manager.headers })).text();
  expect(partial).toContain('hx-trigger="every 10s"');

  // saving again without typing the token keeps it for the same address; another address needs it typed again
  expect((await post({ hq_url: "https://hq.example.com", hq_store_id: storeId, hq_token: "" })).status).toBe(303);
  expect(t.store.headOffice()?.token).toBe("sfhq_secret-token-1234");
  const elsewhere = await post({ hq_url: "https://elsewhere.example.com", hq_store_id: storeId, hq_token: "" });
  expect(elsewhere.status).toBe(422);
  expect(t.store.headOffice()?.url).toBe("https://hq.example.com");
  // an empty address disconnects
  expect((await post({ hq_url: "", hq_store_id: "", hq_token: "" })).status).toBe(303);
  expect(t.store.headOffice()).toBeNull();
  const audit = t.store.db.query<{ detail: string }, []>("SELECT detail FROM audit_log WHERE action = 'settings.changed' ORDER BY id").all();
  expect(audit).toHaveLength(3); // the refused change is not a change
  expect(audit.map((a) => a.detail).join()).not.toContain("sfhq_secret");
});

test("a wrong address, store id or token is refused with a sentence, and nothing is written", async () => {
  const cases: [Record<string, string>, string][] = [
    [{ hq_url: "ftp://hq", hq_store_id: storeId, hq_token: "sfhq_0123456789" }, "must start with https://"],
    [{ hq_url: "https://hq", hq_store_id: "12", hq_token: "sfhq_0123456789" }, "store id"],
    [{ hq_url: "https://hq", hq_store_id: storeId, hq_token: "short" }, "token"],
  ];
  for (const [fields, words] of cases) {
    const res = await post(fields);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(words);
    expect(settings()).toEqual({});
  }
});

test("Send now on a store without head office says so and sends nothing", async () => {
  t.store.checkout.sell(t.registerId, [{ barcode: codes.milk }], [{ method: "cash", amount: 200 }]);
  const res = await t.app.request("/devices/head-office/send", { method: "POST", headers: manager.headers });
  expect(res.status).toBe(422);
  expect(await res.text()).toContain("not connected to head office");
  expect(t.store.sync.status().pending).toBe(1);
});
