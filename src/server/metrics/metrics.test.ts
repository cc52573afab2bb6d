// /metrics: read only with an admin token, parsed by a Prometheus text parser, and the sales counter and the latency
// histogram move after a sale.
import { afterEach, expect, test } from "bun:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { codes, makeTestStore, type TestStore } from "../../../tests/helpers/store.ts";
import { createToken } from "../api/tokens.ts";

let t: TestStore | null = null;
afterEach(() => {
  t?.close();
  t = null;
});

type Family = {
  name: string;
  type: string;
  metrics: { value?: string; count?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
};

async function scrape(s: TestStore, token: string): Promise<Map<string, Family>> {
  const res = await s.app.request("/metrics", { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

test("metrics parse, and the sales counter and latency histogram move after a sale", async () => {
  const s = makeTestStore();
  t = s;
  const { token } = createToken(s.store.db, "Monitoring", s.clock.now().toISOString(), ["admin"]);
  const before = await scrape(s, token);
  expect(Number(before.get("shopflow_sales_total")!.metrics[0]!.value)).toBe(0);
  // no backup known: NaN (prom-client writes "Nan", which Prometheus reads case-blind)
  expect(Number.isNaN(Number(before.get("shopflow_backup_age_seconds")!.metrics[0]!.value))).toBe(true);
  expect(before.has("shopflow_outbox_waiting")).toBe(true);
  expect(before.has("shopflow_print_queue_depth")).toBe(true);
  const res = await s.api("/api/v1/sales", { method: "POST", json: { lines: [{ barcode: codes.milk }], payments: [{ method: "cash", amount: 500 }] } });
  expect(res.status).toBe(201);
  const after = await scrape(s, token);
  expect(Number(after.get("shopflow_sales_total")!.metrics[0]!.value)).toBe(1);
  expect(Number(after.get("shopflow_sale_seconds")!.metrics[0]!.count)).toBe(1);
  // cumulative buckets: none counts more than the next, and the last holds every sale
  const buckets = Object.entries(after.get("shopflow_sale_seconds")!.metrics[0]!.buckets ?? {})
    .sort(([a], [b]) => Number(a.replace("+Inf", "Infinity")) - Number(b.replace("+Inf", "Infinity")))
    .map(([, n]) => Number(n));
  expect(buckets.length).toBeGreaterThan(5);
  expect(buckets.every((n, i) => i === 0 || n >= buckets[i - 1]!)).toBe(true);
  expect(buckets.at(-1)).toBe(1);
});

test("metrics are refused without a token, and to a token without the admin scope", async () => {
  const s = makeTestStore();
  t = s;
  expect((await s.app.request("/metrics")).status).toBe(401);
  const res = await s.app.request("/metrics", { headers: { Authorization: `Bearer ${s.token}` } });
  expect(res.status).toBe(403);
  expect(await res.text()).toContain("admin scope");
});
