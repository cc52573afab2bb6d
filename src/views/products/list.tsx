// The store's products for managers: found by name, SKU or barcode (a scan opens the product), narrowed to a category,
// to what is at or under its reorder point, to what is or is not on sale; fifty at a time.
import { usePage } from "../ui/context.ts";
import { money, quantity } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type ProductListRow = {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  category: string | null;
  stockMilli: number;
  weighed: boolean;
  active: boolean;
  reorderPoint: number | null;
  reorderLevel: number | null;
  location: string | null;
};

export type ProductShow = "active" | "inactive" | "all";

/** The list's filters as the form sends them. */
export type ProductListFilter = { q: string; category: number | null; low: boolean; show: ProductShow };

export function ProductListPage(p: {
  products: readonly ProductListRow[];
  filter: ProductListFilter;
  categories: readonly { id: number; name: string }[];
  /** The link to the next page, when there is one. */
  next: string | null;
  /** Whether this page is a later one (a link back to the first is offered). */
  later: boolean;
  message?: string | undefined;
  /** The store takes its catalog from head office: products are added there. */
  headOffice: boolean;
}) {
  const { locale } = usePage();
  const f = p.filter;
  const filtered = f.q !== "" || f.category !== null || f.low || f.show !== "active";
  const low = (r: ProductListRow) => r.reorderPoint !== null && r.stockMilli <= r.reorderPoint;
  return (
    <OfficePage title="Products">
      <h1>Products</h1>
      <form method="get" action="/products" class="filters product-filters" data-testid="products-filters">
        <label>
          Name, SKU or barcode
          <input
            name="q"
            value={f.q}
            data-testid="products-search"
            autofocus
            autocomplete="off"
            inputmode="search"
            maxlength={100}
            placeholder="type or scan"
          />
        </label>
        <label>
          Category
          <select name="category" data-testid="products-category">
            <option value="">All categories</option>
            {p.categories.map((c) => (
              <option value={String(c.id)} selected={c.id === f.category}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Showing
          <select name="show" data-testid="products-show">
            <option value="active" selected={f.show === "active"}>
              on sale
            </option>
            <option value="inactive" selected={f.show === "inactive"}>
              not on sale (inactive)
            </option>
            <option value="all" selected={f.show === "all"}>
              all
            </option>
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" name="low" value="1" checked={f.low} data-testid="products-low" /> Low stock only
        </label>
        <button type="submit" class="primary">
          Find
        </button>
        {filtered && (
          <a href="/products" class="button">
            Show all
          </a>
        )}
        {p.headOffice ? (
          <span class="hint" data-testid="products-head-office">
            Products come from head office; the store keeps its own cost, reorder levels and locations.
          </span>
        ) : (
          <a href="/products/new" class="button" data-testid="products-add">
            Add a product
          </a>
        )}
        <a href="/products/export.csv" class="button" data-testid="products-export" download>
          Export CSV (all products, with stock)
        </a>
      </form>
      {p.message && (
        <p class="message error" role="alert" data-testid="form-message">
          {p.message}
        </p>
      )}
      {!p.message && (
        <p class="summary" data-testid="products-summary">
          {p.products.length === 0
            ? p.next
              ? "No product matches among those looked through so far; there are more to look through."
              : "No product matches."
            : `${p.products.length}${p.next ? "+" : ""} product${p.products.length === 1 ? "" : "s"}${f.q ? ", in catalog order" : ", by name"}.`}
        </p>
      )}
      {p.products.length > 0 && (
        <table class="grid products">
          <thead>
            <tr>
              <th>Name</th>
              <th>SKU</th>
              <th>Barcode</th>
              <th>Category</th>
              <th class="num">Price</th>
              <th class="num">On hand</th>
              <th class="num">Reorder at</th>
              <th>Location</th>
            </tr>
          </thead>
          <tbody>
            {p.products.map((r) => (
              <tr data-testid="product-row" class={[low(r) ? "low" : "", r.active ? "" : "inactive"].filter(Boolean).join(" ") || undefined}>
                <td>
                  <a href={`/products/${r.id}`} data-testid="product-open">
                    {r.name}
                  </a>
                  {!r.active && <span class="tag"> not on sale</span>}
                </td>
                <td>{r.sku}</td>
                <td>{r.barcode ?? "—"}</td>
                <td>{r.category ?? "—"}</td>
                <td class="num">{money(r.price, locale)}</td>
                <td class="num">
                  {quantity(r.stockMilli, r.weighed)}
                  {low(r) && <span class="tag"> low</span>}
                </td>
                <td class="num">
                  {r.reorderPoint === null
                    ? "—"
                    : `${quantity(r.reorderPoint, r.weighed)}${r.reorderLevel === null ? "" : ` (to ${quantity(r.reorderLevel, r.weighed)})`}`}
                </td>
                <td>{r.location ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="paging">
        {p.later && (
          <a href={firstPage(f)} class="button" data-testid="products-first">
            ← First page
          </a>
        )}
        {p.next && (
          <a href={p.next} class="button" data-testid="products-more">
            More products →
          </a>
        )}
      </p>
    </OfficePage>
  );
}

/** The first page of the same list. */
function firstPage(f: ProductListFilter): string {
  const q = new URLSearchParams();
  if (f.q) q.set("q", f.q);
  if (f.category !== null) q.set("category", String(f.category));
  if (f.show !== "active") q.set("show", f.show);
  if (f.low) q.set("low", "1");
  const s = q.toString();
  return s ? `/products?${s}` : "/products";
}

/** A page after `after` of the same list. */
export function pageAfter(f: ProductListFilter, after: number): string {
  const first = firstPage(f);
  return `${first}${first.includes("?") ? "&" : "?"}after=${after}`;
}
