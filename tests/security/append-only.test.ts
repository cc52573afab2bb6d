// The audit log and the sale journal are written once and never changed: the database itself refuses, whatever code
// asks, and the rows are as they were afterwards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";

let t: TestStore;
beforeAll(async () => {
  t = makeTestStore();
  const at = t.clock.now().toISOString();
  t.store.audit.record({ at, userId: null, userName: "Maria", action: "drawer.no_sale", subject: null, detail: { reason: "change" } });
  t.store.audit.record({ at, userId: null, userName: "Maria", action: "user.unlocked", subject: "Victor", detail: {} });
  const res = await t.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 500 }] } });
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

const rows = (table: string) => t.store.db.query(`SELECT * FROM ${table} ORDER BY rowid`).all();

const tampering: Record<string, string[]> = {
  audit_log: [
    "UPDATE audit_log SET user_name = 'Nobody' WHERE id = 1",
    "UPDATE audit_log SET detail = '{}'",
    "DELETE FROM audit_log WHERE id = 1",
    "DELETE FROM audit_log",
    "INSERT OR REPLACE INTO audit_log(id, at, user_name, action, detail) VALUES (1, '2026-01-01T00:00:00.000Z', 'Nobody', 'nothing', '{}')",
    "REPLACE INTO audit_log(id, at, user_name, action, detail) VALUES (2, '2026-01-01T00:00:00.000Z', 'Nobody', 'nothing', '{}')",
    "INSERT INTO audit_log(id, at, user_name, action, detail) VALUES (1, 'x', 'x', 'x', '{}') ON CONFLICT(id) DO UPDATE SET user_name = 'Nobody'",
  ],
  journal: [
    "UPDATE journal SET data = '{}' WHERE seq = 1",
    "UPDATE journal SET hash = prev_hash",
    "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)",
    "DELETE FROM journal",
    "INSERT OR REPLACE INTO journal SELECT seq, at, kind, ref, '{}', prev_hash, hash FROM journal WHERE seq = 1",
    "REPLACE INTO journal SELECT seq, at, 'sale.voided', ref, data, prev_hash, hash FROM journal WHERE seq = 1",
    "INSERT INTO journal SELECT * FROM journal WHERE seq = 1 ON CONFLICT(seq) DO UPDATE SET data = '{}'",
  ],
};

for (const [table, statements] of Object.entries(tampering)) {
  describe(`${table} is append-only`, () => {
    test("it holds rows to protect", () => {
      expect(rows(table).length).toBeGreaterThan(0);
    });
    for (const sql of statements) {
      test(sql, () => {
        const before = rows(table);
        expect(() => t.store.db.run(sql)).toThrow();
        expect(rows(table)).toEqual(before);
      });
    }
    test("new rows may still be added", () => {
      const n = rows(table).length;
      if (table === "audit_log") t.store.audit.record({ at: t.clock.now().toISOString(), userId: null, userName: null, action: "test.appended" });
      else t.store.printing.openDrawer(1, "test", { kind: "no_sale", reason: "append check" });
      expect(rows(table).length).toBe(n + 1);
    });
  });
}
