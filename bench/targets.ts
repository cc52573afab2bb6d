// The targets, checked against the figures. A figure that is missing (its section failed) does not pass.
type Limit = { max: number } | { min: number };
type Target = { key: string; limit: Limit; figure: readonly string[] };

export const targets: readonly Target[] = [
  { key: "lookup_p99_ms", limit: { max: 2 }, figure: ["lookup", "p99_ms"] },
  { key: "search_p99_ms", limit: { max: 10 }, figure: ["search", "p99_ms"] },
  { key: "sale_p99_ms_at_100_per_s", limit: { max: 10 }, figure: ["sale_open_loop", "p99_ms"] },
  { key: "sale_open_loop_non_201", limit: { max: 0 }, figure: ["sale_open_loop", "non_201"] },
  { key: "saturation_sales_per_s", limit: { min: 500 }, figure: ["sale_saturation", "sales_per_s"] },
  { key: "http_floor_ratio", limit: { max: 3 }, figure: ["http_floor_ratio"] },
  { key: "start_ms", limit: { max: 500 }, figure: ["start_ms"] },
  { key: "rss_idle_mb", limit: { max: 100 }, figure: ["rss_idle_mb"] },
  // head office takes a chain's stores at once; one store alone (["hq", "ratio"]) is printed beside it
  { key: "hq_ingest_copy_ratio", limit: { min: 0.5 }, figure: ["hq", "ratio_from_stores"] },
  { key: "hq_catch_up_100k_s", limit: { max: 60 }, figure: ["hq", "catch_up", "seconds"] },
  { key: "hq_catalog_list_1m_p99_ms", limit: { max: 50 }, figure: ["hq_catalog", "page", "p99_ms"] },
  { key: "hq_overview_p99_ms", limit: { max: 200 }, figure: ["hq_pages", "overview", "p99_ms"] },
  { key: "hq_store_page_p99_ms", limit: { max: 200 }, figure: ["hq_pages", "store_page", "p99_ms"] },
  { key: "hq_reports_year_200_stores_p99_ms", limit: { max: 300 }, figure: ["hq_reports", "year_worst_p99_ms"] },
  { key: "z_close_1000_sales_ms", limit: { max: 500 }, figure: ["cashup", "z_close_median_ms"] },
  { key: "history_search_500k_p99_ms", limit: { max: 50 }, figure: ["history", "p99_ms"] },
  { key: "receipt_lookup_500k_p99_ms", limit: { max: 2 }, figure: ["returns", "lookup", "p99_ms"] },
  { key: "return_p99_ms_at_100_per_s", limit: { max: 10 }, figure: ["returns", "return_open_loop", "p99_ms"] },
  { key: "return_open_loop_non_201", limit: { max: 0 }, figure: ["returns", "return_open_loop", "non_201"] },
  { key: "scan_to_row_p95_ms", limit: { max: 50 }, figure: ["register", "scan_to_row", "p95_ms"] },
  { key: "register_ready_ms", limit: { max: 300 }, figure: ["register", "ready", "median_ms"] },
  { key: "register_ready_1m_ms", limit: { max: 300 }, figure: ["register", "ready_1m", "median_ms"] },
  { key: "product_search_1m_p99_ms", limit: { max: 20 }, figure: ["stock", "product_search", "p99_ms"] },
  { key: "delivery_500_lines_ms", limit: { max: 200 }, figure: ["stock", "delivery_500", "max_ms"] },
  { key: "sale_p99_ms_1m_with_ledger", limit: { max: 10 }, figure: ["stock", "sale_open_loop", "p99_ms"] },
  { key: "stock_ledger_disagreements", limit: { max: 0 }, figure: ["stock", "ledger_disagreements"] },
  { key: "count_commit_10k_ms", limit: { max: 1000 }, figure: ["counts", "count_commit_10k_ms"] },
  { key: "low_stock_alert_p99_ms", limit: { max: 100 }, figure: ["low_stock_alert_p99_ms"] },
  // frequently bought together at 1,000,000 products: the register's lookup after a scan, a sale with the worker counting
  { key: "together_lookup_1m_p99_ms", limit: { max: 2 }, figure: ["together", "lookup", "p99_ms"] },
  { key: "together_sale_p99_ms_with_worker", limit: { max: 10 }, figure: ["together", "sale_with_worker", "p99_ms"] },
  { key: "together_sale_p99_ms_while_catching_up", limit: { max: 10 }, figure: ["together", "sale_while_catching_up", "p99_ms"] },
];

function read(results: unknown, path: readonly string[]): unknown {
  let v = results;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

export function checkTargets(results: Record<string, unknown>): { targets: Record<string, Limit>; pass: Record<string, boolean> } {
  const limits: Record<string, Limit> = {};
  const pass: Record<string, boolean> = {};
  for (const t of targets) {
    limits[t.key] = t.limit;
    const v = read(results, t.figure);
    pass[t.key] = typeof v === "number" && Number.isFinite(v) && ("max" in t.limit ? v <= t.limit.max : v >= t.limit.min);
  }
  return { targets: limits, pass };
}
