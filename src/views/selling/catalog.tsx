// Finding products at the till: type-ahead search results and the quick-keys grid (favourites pages, then categories).
import { usePage } from "../ui/context.ts";
import { money, quantity } from "../ui/format.ts";

export type ProductTile = { id: number; name: string; price: number; weighed: boolean; stockMilli: number; sku: string };
/** A quick-key tab: a favourites page the manager arranged (shown first), or a category. */
export type QuickKeyTab = { kind: "favourites" | "category"; id: number; name: string };
export type CategoryTab = QuickKeyTab;

function addAttrs(p: ProductTile) {
  // A weighed item asks for its weight first; a unit item goes straight onto the sale.
  return p.weighed
    ? { "hx-get": `/register/dialog/weigh/${p.id}`, "hx-target": "#dialog-body" }
    : { "hx-post": "/register/add", "hx-vals": JSON.stringify({ product_id: String(p.id) }), "hx-target": "#lines", "hx-swap": "outerHTML" };
}

export function SearchResults({ products, query }: { products: ProductTile[]; query: string }) {
  const { locale } = usePage();
  return (
    <ul id="search-results" class="search-results" aria-label="Search results">
      {query && products.length === 0 && <li class="none">Nothing matches “{query}”.</li>}
      {products.map((p) => (
        <li>
          <button type="button" class="result" data-testid="search-result" {...addAttrs(p)}>
            <span class="r-name">{p.name}</span>
            <span class="r-meta">
              {p.sku} · {quantity(p.stockMilli, p.weighed)} in stock
            </span>
            <span class="r-price">
              {money(p.price, locale)}
              {p.weighed ? "/kg" : ""}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Where a tab's keys come from: a favourites page by its id, a category by its. */
const tabUrl = (t: QuickKeyTab) => (t.kind === "favourites" ? `/register/quick-keys?page=${t.id}` : `/register/quick-keys?category=${t.id}`);

/**
 * The quick keys: the favourites pages' tabs, then the categories', and the chosen tab's keys. `active` is the chosen
 * tab's position among `categories` (a favourites page and a category may share an id).
 */
export function QuickKeys({ categories, active, products }: { categories: QuickKeyTab[]; active: number | null; products: ProductTile[] }) {
  const { locale } = usePage();
  return (
    <div id="quick-keys" class="quick-keys" data-testid="quick-keys">
      <div class="tabs" role="tablist" aria-label="Quick keys: favourites and categories">
        {categories.map((t, i) => (
          <button
            type="button"
            role="tab"
            aria-selected={i === active ? "true" : "false"}
            class={`tab${t.kind === "favourites" ? " favourites" : ""}${i === active ? " active" : ""}`}
            data-testid={t.kind === "favourites" ? "favourites-tab" : "category-tab"}
            hx-get={tabUrl(t)}
            hx-target="#quick-keys"
            hx-swap="outerHTML"
          >
            {t.name}
          </button>
        ))}
      </div>
      <div class="keys">
        {products.map((p) => (
          <button type="button" class="key" data-testid="quick-key" {...addAttrs(p)}>
            <span class="k-name">{p.name}</span>
            <span class="k-price">
              {money(p.price, locale)}
              {p.weighed ? "/kg" : ""}
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}
