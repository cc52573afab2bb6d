// Closed shifts reopened: a past shift's Z report shows the figures stored when it closed, whatever sold since, and
// printing it again makes a print job marked COPY with its audit row and journal entry.
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Actor } from "../../src/server/audit/audit-log.ts";
import { codes, footprint, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeEach(() => {
  t = makeTestStore();
});
afterEach(() => t.close());

const actor = (s: SignedIn): Actor => ({ userId: s.userId, userName: s.userName, registerId: s.registerId, registerName: `Lane ${s.registerId}` });
const figure = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}">([^<]*)<`))?.[1];

test("given a closed shift and more sold on the next, its Z report reopens with the same figures and prints again marked COPY", async () => {
  const cashier = await signIn(t.store, 1, { name: "Ann" });
  t.store.till.scan(cashier.registerId, codes.wine);
  t.store.till.pay(cashier.registerId, { method: "cash", amount: 1299 }, cashier.userId);
  const closed = t.store.shiftActions.close(actor(cashier), { total: 11_299, detail: null }, null);
  const shiftId = t.store.db.query<{ id: number }, []>("SELECT max(id) AS id FROM shifts").get()!.id;
  // the next shift sells more on the same register, the same day
  t.clock.advance(60_000);
  t.store.shifts.open(cashier.registerId, cashier.userId, 10_000, null, t.clock.now().toISOString());
  for (let i = 0; i < 3; i++) {
    t.store.till.scan(cashier.registerId, codes.milk);
    t.store.till.pay(cashier.registerId, { method: "cash", amount: 119 }, cashier.userId);
  }
  const manager = await signIn(t.store, 9, { role: "manager", name: "Mia", shift: false });

  const list = await (await t.app.request("/reports/shifts", { headers: manager.headers })).text();
  expect(list).toContain(`data-shift="${shiftId}"`);
  const page = await t.app.request(`/reports/shifts/${shiftId}`, { headers: manager.headers });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(figure(html, "report-sales-count")).toBe("1");
  expect(figure(html, "report-sales-total")).toBe("€12.99");
  expect(figure(html, "report-counted")).toBe("€112.99");
  expect(closed.salesCount).toBe(1);

  const before = footprint(t.store);
  const res = await t.app.request(`/reports/shifts/${shiftId}/reprint`, { method: "POST", headers: manager.headers });
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toBe(`/reports/shifts/${shiftId}?printed=1`);
  const job = t.store.db
    .query<{ kind: string; payload: string; requested_by: string }, []>("SELECT kind, payload, requested_by FROM print_jobs ORDER BY id DESC LIMIT 1")
    .get()!;
  expect(job.kind).toBe("report");
  expect(JSON.parse(job.payload).title).toContain("COPY");
  expect(job.payload).toContain('["Sales","1"]');
  expect(job.requested_by).toBe("Mia");
  const audit = t.store.db
    .query<{ action: string; subject: string; user_name: string }, []>("SELECT action, subject, user_name FROM audit_log ORDER BY id DESC LIMIT 1")
    .get()!;
  expect(audit).toEqual({ action: "shift.z_reprinted", subject: String(shiftId), user_name: "Mia" });
  const journal = t.store.db.query<{ kind: string; ref: string }, []>("SELECT kind, ref FROM journal ORDER BY seq DESC LIMIT 1").get()!;
  expect(journal).toEqual({ kind: "report.reprinted", ref: String(shiftId) });
  const after = footprint(t.store);
  const moved = (table: string) => after[table]! - before[table]!;
  expect([moved("print_jobs"), moved("audit_log"), moved("journal")]).toEqual([1, 1, 1]);
  // the stored figures again, after the copy
  expect(figure(await (await t.app.request(`/reports/shifts/${shiftId}`, { headers: manager.headers })).text(), "report-sales-count")).toBe("1");
});

test("the list pages newest first, filters by register and day; what is no shift is refused, nothing printed", async () => {
  const lanes = [await signIn(t.store, 1), await signIn(t.store, 2)];
  for (let i = 0; i < 3; i++) {
    for (const s of lanes) {
      t.store.shiftActions.close(actor(s), { total: 10_000, detail: null }, null);
      t.clock.advance(60_000);
      t.store.shifts.open(s.registerId, s.userId, 10_000, null, t.clock.now().toISOString());
    }
  }
  const manager = await signIn(t.store, 9, { role: "manager", shift: false });
  const get = (p: string) => t.app.request(p, { headers: manager.headers });
  const ids = (html: string) => [...html.matchAll(/data-shift="(\d+)"/g)].map((m) => Number(m[1]));
  const all = ids(await (await get("/reports/shifts")).text());
  expect(all).toHaveLength(6);
  expect(all).toEqual([...all].sort((a, b) => b - a));
  expect(ids(await (await get(`/reports/shifts?register=${lanes[0]!.registerId}`)).text())).toHaveLength(3);
  expect(ids(await (await get("/reports/shifts?day=2026-11-25")).text())).toHaveLength(6);
  expect(ids(await (await get("/reports/shifts?day=2026-11-24")).text())).toHaveLength(0);
  expect(ids(await (await get(`/reports/shifts?before=${all[1]}`)).text())).toEqual(all.slice(2));

  expect((await get("/reports/shifts?day=31/02/2026")).status).toBe(400);
  expect((await get("/reports/shifts?register=-1")).status).toBe(422);
  expect((await get("/reports/shifts/99999")).status).toBe(404);
  expect((await get("/reports/shifts/1e3")).status).toBe(422);
  const before = footprint(t.store);
  const open = t.store.shifts.current(lanes[0]!.registerId)!.id;
  for (const id of [String(open), "99999", "x"]) {
    const res = await t.app.request(`/reports/shifts/${id}/reprint`, { method: "POST", headers: manager.headers });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }
  expect(footprint(t.store)).toEqual(before);
});

test("from the back office (a browser that is no register), the copy prints on the printer of the register the shift was on", async () => {
  const cashier = await signIn(t.store, 1, { name: "Ann" });
  t.store.shiftActions.close(actor(cashier), { total: 10_000, detail: null }, null);
  const shiftId = t.store.db.query<{ id: number }, []>("SELECT max(id) AS id FROM shifts").get()!.id;
  const at = t.clock.now().toISOString();
  const boss = await t.store.users.add("Mia", "manager", "482915", at);
  const session = t.store.sessions.start(boss.id, null, at);
  const headers = { Cookie: `sf_session=${session.cookie}; sf_csrf=${session.csrf}`, "X-CSRF-Token": session.csrf };

  expect((await t.app.request(`/reports/shifts/${shiftId}`, { headers })).status).toBe(200);
  const res = await t.app.request(`/reports/shifts/${shiftId}/reprint`, { method: "POST", headers });
  expect(res.status).toBe(303);
  const printerOfLane1 = t.store.printing.printers.forRegister(cashier.registerId)!.id;
  const job = t.store.db.query<{ printer_id: number; kind: string }, []>("SELECT printer_id, kind FROM print_jobs ORDER BY id DESC LIMIT 1").get()!;
  expect(job).toEqual({ printer_id: printerOfLane1, kind: "report" });
  const audit = t.store.db.query<{ register: string }, []>("SELECT register FROM audit_log WHERE action = 'shift.z_reprinted'").get()!;
  expect(audit.register).toBe("Lane 1 (from the back office)");
  // without the page's CSRF token nothing prints
  const before = footprint(t.store);
  const forged = await t.app.request(`/reports/shifts/${shiftId}/reprint`, { method: "POST", headers: { Cookie: headers.Cookie } });
  expect(forged.status).toBe(403);
  expect(footprint(t.store)).toEqual(before);
});
