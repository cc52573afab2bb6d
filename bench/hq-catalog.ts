// Head office's catalog list at chain scale: GET /catalog, signed in, through the real app, against 1,000,000 products
// published in releases of 50,000 — the first page, deep pages by cursor (forwards and back), each filter and filters
// combined. The figure is the p99 of the whole page (list, filters' choices, tax classes, draft), in-process.
// Run alone: node_modules/.bin/bun bench/hq-catalog.ts (prints the JSON of this section).
import { cursorText } from "../src/sync/hq/catalog/list.ts";
import { type Hq, signedIn, startHq } from "../tests/sync/hq-support.ts";
import type { Section } from "./context.ts";
import { progress, round, seededRandom, summarize } from "./stats.ts";

const PRODUCTS = Number(process.env.BENCH_HQ_CATALOG_PRODUCTS ?? 1_000_000);
const PER_RELEASE = 50_000;
const REQUESTS = Number(process.env.BENCH_HQ_CATALOG_REQUESTS ?? 1_000);
const CATEGORIES = 40;

/** The catalog written as the dashboard's releases would hold it, straight in SQL so a million takes a minute, not an hour. */
export async function seed(hq: Hq): Promise<void> {
  await hq.sql`
    INSERT INTO catalog_categories (name, created_by) SELECT 'Category ' || lpad(g::text, 2, '0'), 'bench' FROM generate_series(1, ${CATEGORIES}::int) g`;
  for (let from = 0, version = 1; from < PRODUCTS; from += PER_RELEASE, version++) {
    const to = Math.min(PRODUCTS, from + PER_RELEASE) - 1;
    await hq.sql`
      INSERT INTO catalog_releases (version, published_at, effective_at, note, changes)
      SELECT ${version}::bigint, '2026-01-01'::timestamptz + make_interval(days => ${version}::int), '2026-01-01'::timestamptz + make_interval(days => ${version}::int),
        'bench', jsonb_build_object(
          'tax_classes', CASE WHEN ${version}::int = 1 THEN '[{"code":"STD","name":"Standard","rate_bp":2000},{"code":"RED","name":"Reduced","rate_bp":1000},{"code":"ZERO","name":"Zero","rate_bp":0}]'::jsonb ELSE '[]'::jsonb END,
          'products', jsonb_agg(jsonb_build_object(
            'sku', 'P' || lpad(g::text, 7, '0'),
            'barcode', null,
            'name', (ARRAY['Apple','Bread','Cheese','Dates','Eggs','Flour','Grapes','Honey','Ice cream','Jam'])[1 + g % 10] || ' ' || ((g::bigint * 7919) % 1000003),
            'price', 50 + (g::bigint * 31) % 5000,
            'tax_class', (ARRAY['STD','RED','ZERO'])[1 + g % 3],
            'category', CASE WHEN g % 17 = 0 THEN null ELSE 'Category ' || lpad((1 + g % ${CATEGORIES}::int)::text, 2, '0') END,
            'weighed', g % 23 = 0,
            'active', g % 11 <> 0) ORDER BY g))
      FROM generate_series(${from}::int, ${to}::int) g`;
    progress(`hq-catalog: ${to + 1} products published`);
  }
  // as a head office that has run a while has them: hint bits set and statistics taken (autovacuum would, later)
  await hq.sql`VACUUM ANALYZE catalog_products`;
}

export const hqCatalog: Section = {
  name: "hq_catalog",
  phase: "offline",
  async run() {
    const hq = await startHq();
    try {
      const t0 = performance.now();
      await seed(hq);
      const seedS = (performance.now() - t0) / 1000;
      const vera = await signedIn(hq, "Vera", "viewer");
      const rnd = seededRandom(15);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      // cursors spread over the whole list: real products' names, so a deep page is as deep as it gets
      const marks = await hq.sql<{ name: string; sku: string }[]>`SELECT name, sku FROM catalog_products TABLESAMPLE SYSTEM (1) LIMIT 500`;
      const category = () => `Category ${String(1 + Math.floor(rnd() * CATEGORIES)).padStart(2, "0")}`;
      const kinds: [string, () => string][] = [
        ["first", () => ""],
        ["after", () => `after=${cursorText(pick(marks))}`],
        ["before", () => `before=${cursorText(pick(marks))}`],
        ["category", () => `category=${encodeURIComponent(category())}`],
        ["category_after", () => `category=${encodeURIComponent(category())}&after=${cursorText(pick(marks))}`],
        ["tax_class_after", () => `tax_class=${pick(["STD", "RED", "ZERO"])}&after=${cursorText(pick(marks))}`],
        ["active_after", () => `active=${pick(["yes", "no"])}&after=${cursorText(pick(marks))}`],
        ["changed_since", () => `changed_since=2026-01-${String(2 + Math.floor(rnd() * 20)).padStart(2, "0")}`],
        ["three_filters", () => `category=${encodeURIComponent(category())}&active=no&tax_class=${pick(["STD", "RED", "ZERO"])}`],
      ];
      const queries = kinds.map(([, q]) => q);
      const get = async (q: string) => {
        const res = await vera.request("GET", q ? `/catalog?${q}` : "/catalog");
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET /catalog?${q}: ${res.status} ${body.slice(0, 200)}`);
        return body;
      };
      for (let i = 0; i < 50; i++) await get(pick(queries)()); // warm the caches, as a running head office has them
      const ms: number[] = [];
      const byKind = new Map<string, number[]>(kinds.map(([k]) => [k, []]));
      for (let i = 0; i < REQUESTS; i++) {
        const [kind, q] = kinds[i % kinds.length]!;
        const s = performance.now();
        await get(q());
        const took = performance.now() - s;
        ms.push(took);
        byKind.get(kind)!.push(took);
      }
      progress(`hq-catalog: ${REQUESTS} pages read`);
      return {
        hq_catalog: {
          products: PRODUCTS,
          releases: Math.ceil(PRODUCTS / PER_RELEASE),
          page: summarize(ms),
          p99_ms_by_kind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v).p99_ms])),
          method: "GET /catalog signed in, in-process app.request, one at a time: first page, cursors forwards and back, each filter and three combined",
          seed_s: round(seedS, 1),
        },
      };
    } finally {
      await hq.close();
    }
  },
};

if (import.meta.main) {
  console.log(JSON.stringify(await hqCatalog.run({} as never), null, 2));
}
