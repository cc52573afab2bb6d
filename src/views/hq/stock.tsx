// Stock at head office: every store's on-hand of every product as of the last movement it sent (search, a store, pages),
// and what is at or under its store's reorder point across the chain, kept live through /events.
import { quantity } from "../ui/format.ts";
import { HqPage, utc } from "./layout.tsx";

export type StockLevelView = {
  store_id: string;
  store: string;
  sku: string;
  name: string;
  on_hand_milli: number;
  reorder_point_milli: number | null;
  low: boolean;
  moved_at: Date;
};
export type StoreChoice = { store_id: string; name: string };
export type StockQuery = { q: string; storeId: string | null };
export type StockData = StockQuery & { rows: StockLevelView[]; next: { sku: string; storeId: string } | null; first: boolean };

/** Thousandths as a person reads a quantity: 12, 1.25. Head office does not know which products are weighed. */
const qty = (milli: number) => quantity(milli, false);

function searchHref(q: StockQuery, after?: { sku: string; storeId: string }): string {
  const p = new URLSearchParams();
  if (q.q) p.set("q", q.q);
  if (q.storeId) p.set("store", q.storeId);
  if (after) {
    p.set("after_sku", after.sku);
    p.set("after_store", after.storeId);
  }
  const s = p.toString();
  return s ? `/stock?${s}` : "/stock";
}

/** The table of levels: the whole page shows it, and the search box and the store filter ask for just it. */
export function StockResults({ data }: { data: StockData }) {
  return (
    <div id="stock-results">
      {data.rows.length === 0 ? (
        <p class="empty" data-testid="stock-empty">
          {data.q || data.storeId || !data.first ? "No stock level matches." : "No store has sent its stock movements yet."}
        </p>
      ) : (
        <table class="grid" data-testid="stock-levels">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Product</th>
              <th>Store</th>
              <th class="num">On hand</th>
              <th class="num">Reorder point</th>
              <th>Last movement</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr data-testid="stock-row" data-sku={r.sku} data-store={r.store_id}>
                <td>
                  <code>{r.sku}</code>
                </td>
                <td>{r.name}</td>
                <td>{r.store}</td>
                <td class="num" data-testid="on-hand">
                  {qty(r.on_hand_milli)}
                  {r.low && <span class="pill warn">low</span>}
                </td>
                <td class="num">{r.reorder_point_milli === null ? "—" : qty(r.reorder_point_milli)}</td>
                <td>{utc(r.moved_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="actions">
        {!data.first && <a href={searchHref(data)}>First page</a>}
        {data.next && (
          <a class="button" href={searchHref(data, data.next)} data-testid="stock-next">
            Next page
          </a>
        )}
      </p>
    </div>
  );
}

export function StockPage({ data, stores }: { data: StockData; stores: StoreChoice[] }) {
  // the search and the store filter ask for the results only, as the person types or picks
  const live = { "hx-get": "/stock", "hx-target": "#stock-results", "hx-swap": "outerHTML", "hx-include": "closest form" };
  return (
    <HqPage title="Stock" active="stock">
      <div class="heading">
        <h1>Stock</h1>
        <div class="actions">
          <a class="button" href="/stock/low">
            Low stock across the chain
          </a>
        </div>
      </div>
      <p>Each store's on-hand of each product, as of the last stock movement head office has from that store.</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form in the search landmark; <search> is not in hono/jsx types */}
      <form method="get" action="/stock" class="search" role="search">
        <label for="q">Search SKU or name</label>
        <input
          id="q"
          name="q"
          type="search"
          value={data.q}
          autocomplete="off"
          data-testid="stock-search"
          hx-trigger="input changed delay:300ms, search"
          {...live}
        />
        <label for="store">Store</label>
        <select id="store" name="store" data-testid="stock-store" hx-trigger="change" {...live}>
          <option value="">All stores</option>
          {stores.map((s) => (
            <option value={s.store_id} selected={s.store_id === data.storeId}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
      </form>
      <StockResults data={data} />
    </HqPage>
  );
}

/** The list the page rereads whenever /events tells of low stock, and each time its stream (re)connects. */
export function LowStockList({ rows, cut }: { rows: StockLevelView[]; cut: boolean }) {
  return (
    <section
      id="low-stock"
      aria-live="polite"
      hx-get="/stock/low"
      hx-trigger="low_stock from:#stock-events throttle:1s, ready from:#stock-events"
      hx-swap="outerHTML"
      data-testid="low-stock"
    >
      {rows.length === 0 ? (
        <p class="empty" data-testid="low-stock-empty">
          No store has a product at or under its reorder point.
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>Store</th>
              <th>Product</th>
              <th class="num">On hand</th>
              <th class="num">Reorder point</th>
              <th>Last movement</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-testid="low-stock-row" data-sku={r.sku} data-store={r.store_id}>
                <td>{r.store}</td>
                <td>
                  {r.name} <code class="note">{r.sku}</code>
                </td>
                <td class="num" data-testid="on-hand">
                  {qty(r.on_hand_milli)}
                </td>
                <td class="num">{r.reorder_point_milli === null ? "—" : qty(r.reorder_point_milli)}</td>
                <td>{utc(r.moved_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cut && <p class="empty">Only the first {rows.length} are shown.</p>}
    </section>
  );
}

export function LowStockPage(props: { rows: StockLevelView[]; cut: boolean }) {
  return (
    <HqPage title="Low stock across the chain" active="low-stock" live>
      <div class="heading">
        <h1>Low stock across the chain</h1>
        <div class="actions">
          <a class="button" href="/stock">
            All stock
          </a>
        </div>
      </div>
      <p>Every store's products at or under the store's reorder point. The list follows as the stores' stock movements arrive.</p>
      {/* the page's stream of head-office news (htmx's SSE extension); the list below rereads itself on its events */}
      <div id="stock-events" hx-sse:connect="/events" hidden data-testid="stock-events"></div>
      <LowStockList {...props} />
    </HqPage>
  );
}
