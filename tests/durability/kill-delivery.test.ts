// A delivery is taken in whole or not at all: four supervisors receive 40-line deliveries at once against a real server
// process, which is killed with SIGKILL mid-load, twice. Every delivery the page confirmed is there with all its lines,
// movements, costs and audit row; none is there in part; on-hand is still the sum of the movements.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemoCatalog } from "../../src/server/catalog/demo.ts";
import { openShop } from "../../src/server/compose.ts";
import { sourceCommand, startServer } from "../helpers/server.ts";
import { type SignedIn, signIn } from "../helpers/store.ts";

const dir = mkdtempSync(join(tmpdir(), "shopflow-kill-delivery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCTS = 2000;
const LINES = 40;

/** Each supervisor receives deliveries one after another until the server is gone; confirmed ones are kept by id. */
async function receivers(url: string, people: SignedIn[], confirmed: Set<string>, sent: { n: number }): Promise<void> {
  await Promise.all(
    people.map(async (who, i) => {
      for (let k = 0; ; k++) {
        const first = 1 + ((i * 97 + k * LINES) % (PRODUCTS - LINES));
        const items = Array.from({ length: LINES }, (_, j) => `SKU-${String(first + j).padStart(6, "0")},${1 + ((j + k) % 12)},${(1 + j / 10).toFixed(2)}`);
        sent.n++;
        try {
          const res = await fetch(`${url}/stock/deliveries`, {
            method: "POST",
            redirect: "manual",
            headers: { ...who.headers, "Content-Type": "application/x-www-form-urlencoded", Origin: url },
            body: new URLSearchParams({ supplier: `Supplier ${i}`, reference: `K-${i}-${k}`, items: items.join("\n"), step: "receive" }).toString(),
          });
          if (res.status !== 303) throw new Error(`status ${res.status}: ${(await res.text()).slice(0, 300)}`);
          confirmed.add(new URL(res.headers.get("Location")!, url).searchParams.get("done")!);
        } catch (e) {
          if (e instanceof Error && e.message.startsWith("status")) throw e;
          return; // the server is gone
        }
      }
    }),
  );
}

function checkDatabase(confirmed: Set<string>): number {
  const store = openShop({ dataDir: dir });
  const db = store.db;
  try {
    const kept = new Set(
      db
        .query<{ id: string }, []>("SELECT id FROM deliveries")
        .all()
        .map((r) => r.id),
    );
    expect([...confirmed].filter((id) => !kept.has(id))).toEqual([]);
    // whole: each delivery has every line, a movement per line naming it, and its audit row; no movement names a
    // delivery that is not there
    const partial = db
      .query(`SELECT d.id FROM deliveries d WHERE
          (SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id) != d.lines
       OR (SELECT count(*) FROM stock_movements m WHERE m.reason = 'delivery' AND m.document = d.id) != d.lines
       OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'stock.delivery_received' AND a.subject = d.id)`)
      .all();
    expect(partial).toEqual([]);
    expect(
      db.query("SELECT m.id FROM stock_movements m WHERE m.reason = 'delivery' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = m.document)").all(),
    ).toEqual([]);
    expect(store.ledger.disagreements()).toEqual([]);
    return kept.size;
  } finally {
    store.close();
  }
}

test("deliveries confirmed before a SIGKILL survive it whole; none is half taken in", async () => {
  const setup = openShop({ dataDir: dir });
  seedDemoCatalog(setup.db, { products: PRODUCTS, now: "2026-11-25T08:00:00.000Z" });
  const people = await Promise.all([1, 2, 3, 4].map((lane) => signIn(setup, lane, { role: "supervisor", shift: false })));
  setup.close();

  const confirmed = new Set<string>();
  const sent = { n: 0 };
  for (const stopAfter of [30, 70]) {
    const server = await startServer(sourceCommand, ["--data", dir]);
    const load = receivers(server.url, people, confirmed, sent);
    while (confirmed.size < stopAfter) await Bun.sleep(2);
    await server.kill(); // deliveries are in flight
    await load;
    expect(checkDatabase(confirmed)).toBeGreaterThanOrEqual(confirmed.size);
  }
  expect(sent.n).toBeGreaterThan(confirmed.size); // some were cut off in flight
});
