// Reserved stock, in-process on a real store database: what is on one register's open or parked sale is not there for
// the next customer. Under the `block` policy a second register is refused what the first one holds; a parked sale still
// holds, a cancelled or completed one no longer does; the product page says how many are on sales and what is available;
// and a restarted store holds exactly what its open sales hold.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openShop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
let lane1: SignedIn;
let lane2: SignedIn;
let wineId: number;

beforeEach(async () => {
  t = makeTestStore();
  writeSetting(t.store.db, "negative_stock", "block");
  t.store.reloadSettings();
  lane1 = await signIn(t.store, 1);
  lane2 = await signIn(t.store, 2);
  wineId = t.store.catalog.bySku("WINE-RED")!.id; // 5 on hand
});
afterEach(() => t.close());

const post = (who: SignedIn, path: string, form: Record<string, string> = {}) =>
  t.app.request(path, {
    method: "POST",
    headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" },
    body: new URLSearchParams(form).toString(),
  });
const scanWine = (who: SignedIn, times: number) => Promise.all(Array.from({ length: times }, () => post(who, "/register/scan", { code: codes.wine })));
const said = async (res: Response) => (await res.text()).replaceAll("&#39;", "'");
const reserved = () => t.store.reservations.reserved(wineId);

describe("reserved stock", () => {
  test("what one register's sale holds is refused to another under `block`, and the refusal says why", async () => {
    for (const r of await scanWine(lane1, 4)) expect(r.status).toBe(200);
    expect(reserved()).toBe(4000);
    expect(t.store.catalog.byId(wineId)!.stockMilli).toBe(5000); // still on the shelf: nothing is sold yet

    expect((await post(lane2, "/register/scan", { code: codes.wine })).status).toBe(200); // the fifth
    const refused = await post(lane2, "/register/scan", { code: codes.wine });
    expect(refused.status).toBe(409);
    const text = await said(refused);
    expect(text).toContain("Only 1 of Rioja Crianza 0.75 L available (5 in stock, 4 of them on other registers' open or parked sales); 2 wanted.");
    expect(reserved()).toBe(5000); // the refused scan holds nothing

    // raising the quantity of a line is a scan by another name: the same refusal
    const lineId = t.store.till.current(lane2.registerId)!.lines[0]!.lineId;
    expect((await post(lane2, `/register/lines/${lineId}/qty`, { delta: "1" })).status).toBe(409);
    expect(t.store.till.current(lane2.registerId)!.lines[0]!.qtyMilli).toBe(1000);
  });

  test("a parked sale still holds; a cancelled one lets go; a completed one turns its hold into a sale", async () => {
    await scanWine(lane1, 3);
    await post(lane1, "/register/park");
    expect(reserved()).toBe(3000);
    expect((await post(lane2, "/register/scan", { code: codes.wine })).status).toBe(200);
    expect((await post(lane2, "/register/scan", { code: codes.wine })).status).toBe(200);
    expect((await post(lane2, "/register/scan", { code: codes.wine })).status).toBe(409);

    // the parked sale recalled and cancelled: its three are free again
    const boss = await signIn(t.store, 9, { role: "manager", shift: false });
    const parkedId = t.store.db.query<{ id: string }, []>("SELECT id FROM sales WHERE status = 'parked'").get()!.id;
    expect((await post(lane1, `/register/recall/${parkedId}`)).status).toBe(200);
    await post(lane1, "/register/cancel", { reason: "customer left", manager_pin: boss.pin, approver: String(boss.userId) });
    expect(reserved()).toBe(2000);
    expect((await post(lane2, "/register/scan", { code: codes.wine })).status).toBe(200);

    // paid: the hold becomes a sale movement, on hand down by three, nothing reserved
    expect(await said(await post(lane2, "/register/pay", { method: "cash", amount: "100" }))).toContain('data-testid="receipt-modal"');
    expect(reserved()).toBe(0);
    expect(t.store.catalog.byId(wineId)!.stockMilli).toBe(2000);
    expect(t.store.ledger.disagreements()).toEqual([]);
  });

  test("`warn` and `allow` sell past what is reserved; `warn` says so", async () => {
    writeSetting(t.store.db, "negative_stock", "warn");
    t.store.reloadSettings();
    await scanWine(lane1, 5);
    const r = await post(lane2, "/register/scan", { code: codes.wine });
    expect(r.status).toBe(200);
    expect(await said(r)).toContain("the books say 5 in stock, 5 of them on other registers' open or parked sales, and this sale has 1");
  });

  test("the product page shows what is on sales and what is available", async () => {
    await scanWine(lane1, 2);
    const manager = await signIn(t.store, 8, { role: "manager", shift: false });
    const page = await said(await t.app.request(`/products/${wineId}`, { headers: manager.headers }));
    expect(page).toContain("On hand: 5");
    expect(page).toMatch(/On open or parked sales: 2 · available:\s*3/);
  });

  test("a store restarted holds what its open sales hold, rebuilt from their events", async () => {
    await scanWine(lane1, 2);
    await post(lane1, "/register/park");
    await scanWine(lane2, 1);
    // a database that lost its reservation rows (one from before them, or a restored copy): rebuilt at start
    t.store.db.exec("DELETE FROM stock_reservations");
    const again = openShop({ dataDir: t.dir, clock: t.clock });
    try {
      expect(again.reservations.reserved(wineId)).toBe(3000);
    } finally {
      again.close();
    }
  });
});
