// Never lose a sale: 16 clients sell at once against a real server process, which is killed with SIGKILL mid-load,
// restarted, and killed again. Every acknowledged sale must be there, whole; nothing may be half-written.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToken } from "../../src/server/api/tokens.ts";
import { openShop } from "../../src/server/compose.ts";
import { verifyJournal } from "../../src/server/journal/journal.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { sourceCommand, startServer } from "../helpers/server.ts";
import { codes, seedSmallCatalog } from "../helpers/store.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const basket = [codes.milk, codes.bread, codes.wine, codes.paper];

async function clients(url: string, tokens: string[], acked: Set<string>, sent: { n: number }, stopAfter: number): Promise<void> {
  await Promise.all(
    tokens.map(async (token, i) => {
      for (;;) {
        if (acked.size >= stopAfter) return;
        sent.n++;
        const lines = [{ barcode: basket[i % 4]!, qty: 1 + (i % 3) }, { barcode: basket[(i + 1) % 4]! }];
        try {
          const res = await fetch(`${url}/api/v1/sales`, {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({ lines, payments: [{ method: "cash", amount: 10_000 }] }),
          });
          if (res.status !== 201) throw new Error(`status ${res.status}: ${await res.text()}`);
          acked.add((await res.json()).id);
        } catch (e) {
          if (e instanceof Error && e.message.startsWith("status")) throw e;
          return; // the server is gone: this client stops, as a till would show "not reachable"
        }
      }
    }),
  );
}

function checkDatabase(acked: Set<string>) {
  const store = openShop({ dataDir: dir });
  const db = store.db;
  try {
    // Every acknowledged sale is there, completed.
    const completed = new Set(
      db
        .query<{ id: string }, []>("SELECT id FROM sales WHERE status = 'completed'")
        .all()
        .map((r) => r.id),
    );
    const missing = [...acked].filter((id) => !completed.has(id));
    expect(missing).toEqual([]);
    // Nothing half-written: no sale that is not completed (the API writes whole sales only), and each completed sale has all its parts.
    expect(db.query("SELECT id FROM sales WHERE status != 'completed'").all()).toEqual([]);
    const broken = db
      .query(`SELECT s.id FROM sales s WHERE
        NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)
     OR NOT EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id)
     OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref = s.id)
     OR (SELECT count(*) FROM stock_movements m WHERE m.sale_id = s.id) != (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id)
     OR s.total != (SELECT sum(total) FROM sale_lines l WHERE l.sale_id = s.id)`)
      .all();
    expect(broken).toEqual([]);
    // Receipt numbers per register and outbox sequence are gapless.
    const gaps = db.query(`SELECT register_id, count(*) AS n, max(receipt_seq) AS top FROM sales GROUP BY register_id HAVING n != top`).all();
    expect(gaps).toEqual([]);
    const outbox = db.query<{ n: number; top: number }, []>("SELECT count(*) AS n, max(seq) AS top FROM outbox").get()!;
    expect(outbox.n).toBe(outbox.top);
    expect(outbox.n).toBe(completed.size);
    // Stock equals the sum of its movements (the catalog's opening stock is the first), and the sales took what they sold.
    const drift = db
      .query(`SELECT p.sku FROM products p WHERE p.stock_milli != (SELECT coalesce(sum(m.qty_milli), 0) FROM stock_movements m WHERE m.product_id = p.id)
        OR p.stock_milli != (SELECT v FROM start_stock WHERE id = p.id) + (SELECT coalesce(sum(m.qty_milli), 0) FROM stock_movements m WHERE m.product_id = p.id AND m.reason = 'sale')`)
      .all();
    expect(drift).toEqual([]);
    expect(verifyJournal(db)).toBeNull();
    return completed.size;
  } finally {
    store.close();
  }
}

test("sales acknowledged before a SIGKILL survive it, whole, three times over", async () => {
  const setup = openShop({ dataDir: dir });
  seedSmallCatalog(setup);
  writeSetting(setup.db, "negative_stock", "allow");
  setup.db.exec("CREATE TABLE start_stock AS SELECT id, stock_milli AS v FROM products");
  const tokens = Array.from({ length: 16 }, (_, i) => createToken(setup.db, `lane-${i + 1}`, "2026-11-25T08:00:00Z").token);
  setup.close();

  const acked = new Set<string>();
  const sent = { n: 0 };
  for (const stopAfter of [120, 260, 400]) {
    const server = await startServer(sourceCommand, ["--data", dir]);
    const load = clients(server.url, tokens, acked, sent, Number.POSITIVE_INFINITY);
    while (acked.size < stopAfter) await Bun.sleep(2);
    await server.kill(); // mid-load: requests are in flight
    await load;
    const inDb = checkDatabase(acked);
    expect(inDb).toBeGreaterThanOrEqual(acked.size);
  }
  expect(sent.n).toBeGreaterThan(acked.size); // some requests were cut off in flight
});
