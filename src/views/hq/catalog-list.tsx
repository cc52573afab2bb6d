// The catalog page's filters and pager: a million products are read 50 at a time, filtered by category, tax class,
// on sale or not and changed since, with links to the next and previous pages that keep the filters.

export type CatalogListView<T> = {
  rows: { item: T; version: number; effective_at: Date; changed_at: Date }[];
  /** Cursor of the page after this one, or null on the last page. */
  next: string | null;
  /** Cursor of the page before this one, or null on the first page. */
  previous: string | null;
};

export type CatalogFilterView = { q: string; category: string; taxClass: string; active: "" | "yes" | "no"; changedSince: Date | null };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

/** The query string of this filter, plus a cursor: the pager's links and the filter form agree on it. */
export function listHref(f: CatalogFilterView, cursor?: { after?: string | null; before?: string | null }): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", f.category);
  if (f.taxClass) p.set("tax_class", f.taxClass);
  if (f.active) p.set("active", f.active);
  if (f.changedSince) p.set("changed_since", day(f.changedSince));
  if (cursor?.after) p.set("after", cursor.after);
  if (cursor?.before) p.set("before", cursor.before);
  const s = p.toString();
  return s ? `/catalog?${s}` : "/catalog";
}

export const isFiltered = (f: CatalogFilterView) => Boolean(f.q || f.category || f.taxClass || f.active || f.changedSince);

/** Search and filters in one GET form; typing or choosing swaps the results only. */
export function CatalogFilters(props: { filter: CatalogFilterView; categories: string[]; taxClasses: string[] }) {
  const f = props.filter;
  const live = { "hx-get": "/catalog", "hx-target": "#catalog-results", "hx-swap": "outerHTML", "hx-include": "closest form", "hx-push-url": "true" };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form in the search landmark; <search> is not in hono/jsx types
    <form method="get" action="/catalog" class="search filters" role="search" data-testid="catalog-filters">
      <label class="grow">
        <span>Search name, SKU, barcode or category</span>
        <input
          id="q"
          name="q"
          type="search"
          value={f.q}
          autocomplete="off"
          data-testid="catalog-search"
          {...live}
          hx-trigger="input changed delay:300ms, search"
        />
      </label>
      <label>
        <span>Category</span>
        <select name="category" data-testid="filter-category" {...live} hx-trigger="change">
          <option value="">all</option>
          {props.categories.map((c) => (
            <option value={c} selected={c === f.category}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Tax class</span>
        <select name="tax_class" data-testid="filter-tax-class" {...live} hx-trigger="change">
          <option value="">all</option>
          {props.taxClasses.map((c) => (
            <option value={c} selected={c === f.taxClass}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>On sale</span>
        <select name="active" data-testid="filter-active" {...live} hx-trigger="change">
          <option value="">both</option>
          <option value="yes" selected={f.active === "yes"}>
            on sale
          </option>
          <option value="no" selected={f.active === "no"}>
            off sale
          </option>
        </select>
      </label>
      <label>
        <span>Changed since</span>
        <input type="date" name="changed_since" value={day(f.changedSince)} data-testid="filter-changed-since" {...live} hx-trigger="change" />
      </label>
      <button type="submit">Show</button>
      {isFiltered(f) && (
        <a class="button" href="/catalog">
          Clear
        </a>
      )}
    </form>
  );
}

/** First, previous and next page; a page knows only its neighbours, as keyset paging does. */
export function CatalogPager(props: { filter: CatalogFilterView; next: string | null; previous: string | null }) {
  if (!props.next && !props.previous) return null;
  return (
    <nav class="pager" aria-label="Pages of the catalog" data-testid="catalog-pager">
      {props.previous ? (
        <>
          <a class="button" href={listHref(props.filter)} data-testid="first-page">
            « First
          </a>
          <a class="button" href={listHref(props.filter, { before: props.previous })} data-testid="previous-page" rel="prev">
            ‹ Previous 50
          </a>
        </>
      ) : null}
      {props.next ? (
        <a class="button" href={listHref(props.filter, { after: props.next })} data-testid="next-page" rel="next">
          Next 50 ›
        </a>
      ) : null}
    </nav>
  );
}
