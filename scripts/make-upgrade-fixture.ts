// Keeps a store database as a release leaves it, for the upgrade test (tests/upgrade/): a small demo catalog and a few
// sales made through the JSON API, compacted and gzipped to tests/fixtures/store-schema-<N>.db.gz (600 KB of mostly
// empty pages become 35 KB), with the sales it must still hold after any later upgrade listed in store-schema-<N>.json.
//
// Run it with the release's own code, before a change to the schema lands, e.g. from a copy of the release's tree:
//   git archive HEAD | tar -x -C /tmp/release && ln -s "$PWD/node_modules" /tmp/release/ \
//     && cp scripts/make-upgrade-fixture.ts /tmp/release/scripts/ \
//     && (cd /tmp/release && bun scripts/make-upgrade-fixture.ts --out "$OLDPWD/tests/fixtures")
import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createToken } from "../src/server/api/tokens.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop } from "../src/server/compose.ts";
import { version } from "../src/server/platform/version.ts";

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { out: { type: "string", default: "tests/fixtures" } } });
const out = resolve(values.out);
const work = mkdtempSync(join(tmpdir(), "shopflow-fixture-"));
const at = "2026-12-01T09:00:00.000Z";

const store = openShop({ dataDir: work, clock: { now: () => new Date(at) } });
seedDemoCatalog(store.db, { products: 40, now: at });
store.reloadSettings();
const { token } = createToken(store.db, "Fixture till", at);
const app = createApp(store);
const skus = store.db
  .query<{ sku: string }, []>("SELECT sku FROM products WHERE weighed = 0 AND price > 0 ORDER BY sku LIMIT 6")
  .all()
  .map((r) => r.sku);

type KeptSale = { id: string; receipt_number: string; total: number; lines: number };
const sales: KeptSale[] = [];
for (let i = 0; i < 5; i++) {
  const lines = skus.slice(i % 3, (i % 3) + 1 + (i % 4)).map((sku, n) => ({ sku, qty: n + 1 }));
  const res = await app.request("/api/v1/sales", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": `fixture-${i}` },
    body: JSON.stringify({ lines, payments: [{ method: "cash", amount: 100_000 }] }),
  });
  if (res.status !== 201) throw new Error(`sale ${i} refused (${res.status}): ${await res.text()}`);
  const sale = (await res.json()) as KeptSale & { lines: unknown[] };
  sales.push({ id: sale.id, receipt_number: sale.receipt_number, total: sale.total, lines: sale.lines.length });
}
const schema = store.db.query<{ user_version: number }, []>("PRAGMA user_version").get()!.user_version;
store.close();

mkdirSync(out, { recursive: true });
const file = join(work, "compact.db");
// one compact file, no WAL beside it: what a test copies and opens
const db = new Database(join(work, "shopflow.db"), { readonly: true });
db.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
db.close();
const gz = join(out, `store-schema-${schema}.db.gz`);
writeFileSync(gz, Bun.gzipSync(readFileSync(file), { level: 9 }));
writeFileSync(join(out, `store-schema-${schema}.json`), `${JSON.stringify({ schema, madeBy: version, at, sales }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
console.log(`${gz}: schema ${schema}, ${sales.length} sales`);
