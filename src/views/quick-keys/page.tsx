// Quick keys in the back office: the favourites pages a manager names and orders, and on the chosen page its keys in
// order — moved up or down, taken off, or found by name, SKU or barcode and added. Plain forms: no script needed.
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type PageTab = { id: number; name: string; keys: number };
export type PageKeyView = { productId: number; name: string; sku: string; price: number; weighed: boolean; active: boolean; position: number };
export type FoundProduct = { id: number; name: string; sku: string; barcode: string | null; price: number; weighed: boolean };
export type Notice = { text: string; kind: "info" | "error" };

export type QuickKeysProps = {
  pages: PageTab[];
  chosen: (PageTab & { items: PageKeyView[] }) | null;
  /** What was searched for on the chosen page, and what was found. */
  query: string;
  found: FoundProduct[];
  notice: Notice | null;
  /** The button to have the keyboard focus, e.g. "key-12-up" after moving product 12 up: Enter again moves it again. */
  focus: string | null;
};

/** One button in its own form, posting the page's CSRF token and the fields given. */
function Act(props: {
  action: string;
  label: string;
  title: string;
  id: string;
  testid: string;
  fields?: Record<string, string>;
  focus?: boolean;
  disabled?: boolean;
  kind?: string;
}) {
  return (
    <form method="post" action={props.action}>
      <Csrf />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        id={props.id}
        class={props.kind}
        data-testid={props.testid}
        autofocus={props.focus}
        disabled={props.disabled}
        aria-label={props.title}
        title={props.title}
      >
        {props.label}
      </button>
    </form>
  );
}

/**
 * Whether the `which` button of a row moved by the keyboard takes the focus back: the one pressed, unless the row
 * reached that end (a disabled button cannot hold the focus) and its other button takes it.
 */
function keepsFocus(asked: "up" | "down" | null, which: "up" | "down", canUp: boolean, canDown: boolean): boolean {
  if (!asked) return false;
  const target = asked === "up" ? (canUp ? "up" : canDown ? "down" : null) : canDown ? "down" : canUp ? "up" : null;
  return target === which;
}

/** "up" when `focus` names this row's up button (`${prefix}-up`), "down" for its down button. */
const askedOf = (focus: string | null, prefix: string) => (focus === `${prefix}-up` ? "up" : focus === `${prefix}-down` ? "down" : null);

export function QuickKeysPage(p: QuickKeysProps) {
  return (
    <OfficePage title="Quick keys">
      <h1>Quick keys</h1>
      <p class="qk-lead">
        Favourites pages come first at every register, before the category tabs, with their keys in the order set here. A page with nothing on it is not shown.
      </p>
      {p.notice && (
        <p class={`message ${p.notice.kind}`} role={p.notice.kind === "error" ? "alert" : "status"} data-testid="qk-message">
          {p.notice.text}
        </p>
      )}
      <div class="qk-office">
        <PageList pages={p.pages} chosen={p.chosen?.id ?? null} focus={p.focus} />
        {p.chosen ? (
          <ChosenPage page={p.chosen} query={p.query} found={p.found} focus={p.focus} />
        ) : (
          <section class="qk-page" data-testid="qk-empty">
            <h2>No favourites pages yet</h2>
            <p>The registers show the category tabs only. Add a page, such as “Favourites” or “Bakery counter”, then put products on it.</p>
          </section>
        )}
      </div>
    </OfficePage>
  );
}

function PageList({ pages, chosen, focus }: { pages: PageTab[]; chosen: number | null; focus: string | null }) {
  return (
    <section class="qk-pages" aria-labelledby="qk-pages-title">
      <h2 id="qk-pages-title">Favourites pages</h2>
      {pages.length > 0 && (
        <ol data-testid="qk-pages">
          {pages.map((g, i) => (
            <li class={g.id === chosen ? "chosen" : undefined} data-testid="qk-page">
              <a href={`/quick-keys?page=${g.id}`} aria-current={g.id === chosen ? "page" : undefined}>
                <span class="qk-page-name">{g.name}</span>
                <span class="qk-count">{g.keys === 1 ? "1 key" : `${g.keys} keys`}</span>
              </a>
              <span class="qk-moves">
                <Act
                  action={`/quick-keys/pages/${g.id}/move`}
                  fields={{ to: "up" }}
                  label="↑"
                  title={`Move ${g.name} earlier`}
                  id={`page-${g.id}-up`}
                  testid="qk-page-up"
                  focus={keepsFocus(askedOf(focus, `page-${g.id}`), "up", i > 0, i < pages.length - 1)}
                  disabled={i === 0}
                />
                <Act
                  action={`/quick-keys/pages/${g.id}/move`}
                  fields={{ to: "down" }}
                  label="↓"
                  title={`Move ${g.name} later`}
                  id={`page-${g.id}-down`}
                  testid="qk-page-down"
                  focus={keepsFocus(askedOf(focus, `page-${g.id}`), "down", i > 0, i < pages.length - 1)}
                  disabled={i === pages.length - 1}
                />
              </span>
            </li>
          ))}
        </ol>
      )}
      <form method="post" action="/quick-keys/pages" class="qk-new">
        <Csrf />
        <label>
          New page <input name="name" required maxlength={40} placeholder="e.g. Bakery counter" data-testid="qk-new-name" autofocus={pages.length === 0} />
        </label>
        <button type="submit" class="primary" data-testid="qk-add-page">
          Add page
        </button>
      </form>
    </section>
  );
}

function ChosenPage({ page, query, found, focus }: { page: PageTab & { items: PageKeyView[] }; query: string; found: FoundProduct[]; focus: string | null }) {
  const { locale } = usePage();
  const last = page.items.length - 1;
  const onPage = new Set(page.items.map((k) => k.productId));
  const focused = (k: PageKeyView, i: number, which: "up" | "down") => keepsFocus(askedOf(focus, `key-${k.productId}`), which, i > 0, i < last);
  return (
    <section class="qk-page" aria-labelledby="qk-page-title">
      <h2 id="qk-page-title" data-testid="qk-page-title">
        {page.name}
      </h2>
      {page.items.length === 0 ? (
        <p data-testid="qk-no-keys">Nothing on this page yet: find products below and add them. Until then the registers do not show it.</p>
      ) : (
        <table class="grid qk-keys" data-testid="qk-keys">
          <thead>
            <tr>
              <th>#</th>
              <th>Product</th>
              <th>Price</th>
              <th>
                <span class="sr-only">Order and remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((k, i) => (
              <tr data-testid="qk-key" data-product={String(k.productId)}>
                <td class="qk-pos">{k.position}</td>
                <td>
                  <span class="qk-key-name">{k.name}</span>
                  <span class="qk-meta">
                    {" "}
                    · {k.sku}
                    {!k.active && <span class="pill warn">not sold now: not shown</span>}
                  </span>
                </td>
                <td>
                  {money(k.price, locale)}
                  {k.weighed ? "/kg" : ""}
                </td>
                <td class="row-actions">
                  <Act
                    action={`/quick-keys/pages/${page.id}/keys/${k.productId}/move`}
                    fields={{ to: "up" }}
                    label="↑ Up"
                    title={`Move ${k.name} up`}
                    id={`key-${k.productId}-up`}
                    testid="qk-up"
                    focus={focused(k, i, "up")}
                    disabled={i === 0}
                  />
                  <Act
                    action={`/quick-keys/pages/${page.id}/keys/${k.productId}/move`}
                    fields={{ to: "down" }}
                    label="↓ Down"
                    title={`Move ${k.name} down`}
                    id={`key-${k.productId}-down`}
                    testid="qk-down"
                    focus={focused(k, i, "down")}
                    disabled={i === last}
                  />
                  <Act
                    action={`/quick-keys/pages/${page.id}/keys/${k.productId}/remove`}
                    label="Remove"
                    title={`Take ${k.name} off ${page.name}`}
                    id={`key-${k.productId}-remove`}
                    testid="qk-remove"
                    kind="danger"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Add a product</h3>
      <form method="get" action="/quick-keys" class="filters">
        <input type="hidden" name="page" value={String(page.id)} />
        <label>
          Name, SKU or barcode <input name="q" type="search" value={query} maxlength={100} data-testid="qk-search" autofocus={focus === "search"} />
        </label>
        <button type="submit" data-testid="qk-find">
          Find
        </button>
      </form>
      {query && found.length === 0 && <p data-testid="qk-none">Nothing on sale matches “{query}”.</p>}
      {found.length > 0 && (
        <table class="grid" data-testid="qk-found">
          <tbody>
            {found.map((f) => (
              <tr data-testid="qk-result">
                <td>
                  <span class="qk-key-name">{f.name}</span>
                  <span class="qk-meta">
                    {" "}
                    · {f.sku}
                    {f.barcode ? ` · ${f.barcode}` : ""}
                  </span>
                </td>
                <td>
                  {money(f.price, locale)}
                  {f.weighed ? "/kg" : ""}
                </td>
                <td class="row-actions">
                  {onPage.has(f.id) ? (
                    <span class="pill ok">on this page</span>
                  ) : (
                    <Act
                      action={`/quick-keys/pages/${page.id}/keys`}
                      fields={{ product_id: String(f.id), q: query }}
                      label="Add"
                      title={`Add ${f.name} to ${page.name}`}
                      id={`add-${f.id}`}
                      testid="qk-add"
                      kind="primary"
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>This page</h3>
      <div class="qk-page-settings">
        <form method="post" action={`/quick-keys/pages/${page.id}/rename`} class="filters">
          <Csrf />
          <label>
            Name <input name="name" required maxlength={40} value={page.name} data-testid="qk-rename-name" />
          </label>
          <button type="submit" data-testid="qk-rename">
            Rename
          </button>
        </form>
        <form method="post" action={`/quick-keys/pages/${page.id}/delete`} class="filters">
          <Csrf />
          <label class="check">
            <input type="checkbox" name="confirm" value="1" required data-testid="qk-delete-confirm" /> Delete “{page.name}”
            {page.items.length > 0 ? ` and its ${page.items.length === 1 ? "key" : `${page.items.length} keys`}` : ""}
          </label>
          <button type="submit" class="danger" data-testid="qk-delete">
            Delete page
          </button>
        </form>
      </div>
    </section>
  );
}
