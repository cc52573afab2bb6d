// Loss prevention in the store: a cashier who voids far more than the others is flagged, each count links to the rows
// behind it, managers only, and a bad period is refused with a sentence.
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Actor } from "../../src/server/audit/audit-log.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const actor = (s: SignedIn): Actor => ({ userId: s.userId, userName: s.userName, registerId: s.registerId, registerName: `Lane ${s.registerId}` });

/** `sales` sales of milk and bread, `voids` of them with the bread taken off before paying. */
function sell(s: SignedIn, sales: number, voids: number): void {
  for (let i = 0; i < sales; i++) {
    t.store.till.scan(s.registerId, codes.milk);
    const r = t.store.till.scan(s.registerId, codes.bread);
    if (i < voids) t.store.till.removeLine(s.registerId, r.sale!.lines.at(-1)!.lineId);
    t.store.till.pay(s.registerId, { method: "cash", amount: 1000 }, s.userId);
  }
}

const get = (path: string, who: SignedIn) => t.app.request(path, { headers: who.headers });

test("given four cashiers of ten sales, one voiding on every sale, when a manager opens loss prevention, that one is flagged and nobody else", async () => {
  const ann = await signIn(t.store, 1, { name: "Ann" });
  const bob = await signIn(t.store, 2, { name: "Bob" });
  const cid = await signIn(t.store, 3, { name: "Cid" });
  const vic = await signIn(t.store, 4, { name: "Vic" });
  sell(ann, 10, 0);
  sell(bob, 10, 1);
  sell(cid, 10, 0);
  sell(vic, 10, 10);
  // one cancelled sale of Bob's, through the register's action (audit row included)
  t.store.till.scan(bob.registerId, codes.milk);
  t.store.selling.cancel(actor(bob), "customer left", null);
  const manager = await signIn(t.store, 9, { role: "manager", name: "Mia", shift: false });

  const res = await get("/reports/loss-prevention", manager);
  expect(res.status).toBe(200);
  const html = await res.text();
  const row = (name: string) => html.match(new RegExp(`<tr data-testid="loss-row" data-cashier="${name}" data-flags="(\\d+)">(.*?)</tr>`, "s"))!;
  expect(row("Vic")[1]).toBe("1");
  expect(row("Vic")[2]).toMatch(/data-measure="voids" data-flagged="1"/);
  for (const other of ["Ann", "Bob", "Cid"]) expect(row(other)[1]).toBe("0");
  // Vic's voids: 10 per 100 sales... as 10 of 10 sales: 100 per 100
  expect(row("Vic")[2]).toContain(">10</a> (100.0)");

  // the voids link lists the ten lines taken off, each with its item and receipt
  const voidsLink = row("Vic")[2]!
    .match(/href="(\/reports\/loss-prevention\/voids\?[^"]+)"/)![1]!
    .replaceAll("&amp;", "&");
  const voids = await (await get(voidsLink, manager)).text();
  expect(voids.match(/data-testid="void-row"/g)?.length).toBe(10);
  expect(voids).toContain("Sourdough Bread 800 g");

  // a count from the audit log links to the audit page filtered to exactly its rows
  const cancelLink = row("Bob")[2]!
    .match(/data-measure="cancelled"[^>]*><a href="([^"]+)"/)![1]!
    .replaceAll("&amp;", "&");
  expect(cancelLink).toStartWith("/audit?user=Bob&action=sale.cancelled&from=");
  const audit = await (await get(cancelLink, manager)).text();
  expect(audit.match(/data-testid="audit-row"/g)?.length).toBe(1);
});

test("fewer than three cashiers with sales: nothing is flagged, and the page says why", async () => {
  const ann = await signIn(t.store, 1, { name: "Ann" });
  const vic = await signIn(t.store, 2, { name: "Vic" });
  sell(ann, 5, 0);
  sell(vic, 5, 5);
  const manager = await signIn(t.store, 9, { role: "manager", shift: false });
  const html = await (await get("/reports/loss-prevention", manager)).text();
  expect(html).toContain('data-testid="too-few"');
  expect(html).not.toContain('data-flagged="1"');
});

test("a cashier or a supervisor is refused; a bad period is a 400 with a sentence, nothing looked up", async () => {
  const cashier = await signIn(t.store, 1);
  expect((await get("/reports/loss-prevention", cashier)).status).toBe(403);
  const supervisor = await signIn(t.store, 2, { role: "supervisor", shift: false });
  expect((await get("/reports/stock-movement", supervisor)).status).toBe(403);
  expect((await get("/reports/shifts", supervisor)).status).toBe(403);
  const manager = await signIn(t.store, 9, { role: "manager", shift: false });
  for (const [q, says] of [
    ["from=2026-02-30", "is not a day"],
    ["from=2026-11-20&to=2026-11-01", "From is after To"],
    ["from=2024-01-01&to=2026-11-01", "at most 366 days"],
    ["to=%00%01", "is not a day"],
  ] as const) {
    const res = await get(`/reports/loss-prevention?${q}`, manager);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(says);
  }
  expect((await get("/reports/loss-prevention/voids?user=abc", manager)).status).toBe(404);
  expect((await get("/reports/loss-prevention/voids?user=99999", manager)).status).toBe(404);
  expect((await get("/reports/loss-prevention/voids?user=1&from=nonsense", manager)).status).toBe(400);
});
