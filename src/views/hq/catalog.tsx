// The catalog at head office: browse and search what was published, edit into the draft, publish, release history.
import { currencyDigits, minorToDecimal } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { useHqPage, useMe } from "./context.ts";
import { Field, HqPage, may, utc, When } from "./layout.tsx";

export type ProductView = {
  sku: string;
  barcode: string | null;
  name: string;
  price: number;
  tax_class: string;
  category: string | null;
  weighed: boolean;
  active: boolean;
};
export type TaxClassView = { code: string; name: string; rate_bp: number };
export type PublishedView<T> = { item: T; version: number; effective_at: Date };
export type DraftView =
  | { kind: "product"; key: string; item: ProductView; old: ProductView | null; changed_by: string; changed_at: Date }
  | { kind: "tax_class"; key: string; item: TaxClassView; old: TaxClassView | null; changed_by: string; changed_at: Date };
export type ReleaseView = {
  version: number;
  published_at: Date;
  effective_at: Date;
  note: string;
  published_by: string | null;
  products: number;
  tax_classes: number;
};

type Problems = Record<string, string>;
const path = (s: string) => encodeURIComponent(s);
const rate = (bp: number) => `${minorToDecimal(bp, 2).replace(/\.?0+$/, "")} %`;
/** Decimals of head office's currency, as prices are typed and shown. */
const useDigits = () => currencyDigits(useHqPage().currency);

export type CatalogData = {
  q: string;
  now: Date;
  products: PublishedView<ProductView>[];
  taxClasses: PublishedView<TaxClassView>[];
  /** The draft's pending item for a sku, when there is one. */
  draftSkus: Record<string, ProductView>;
  draftCount: number;
  limit: number;
};

/** The product and tax class tables: the whole page shows them, and the search box asks for just them. */
export function CatalogResults(props: { data: CatalogData }) {
  const { data } = props;
  const edit = may(useMe(), "catalog");
  const digits = useDigits();
  const money = (n: number) => minorToDecimal(n, digits);
  return (
    <div id="catalog-results">
      <h2>Products{data.q ? ` matching "${data.q}"` : ""}</h2>
      {data.products.length === 0 ? (
        <p class="empty">{data.q ? "No product matches." : "No product has been published yet."}</p>
      ) : (
        <table class="grid" data-testid="products">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Name</th>
              <th>Barcode</th>
              <th class="num">Price</th>
              <th>Tax</th>
              <th>Category</th>
              <th>Sold</th>
              <th>State</th>
              {edit && <th>Change</th>}
            </tr>
          </thead>
          <tbody>
            {data.products.map(({ item: p, version, effective_at }) => {
              const pending = data.draftSkus[p.sku];
              return (
                <tr data-sku={p.sku} class={p.active ? "" : "inactive"}>
                  <td>
                    <code>{p.sku}</code>
                  </td>
                  <td>{p.name}</td>
                  <td>{p.barcode ?? ""}</td>
                  <td class="num" data-testid="price">
                    {money(p.price)}
                  </td>
                  <td>{p.tax_class}</td>
                  <td>{p.category ?? ""}</td>
                  <td>{p.weighed ? "by weight" : "by piece"}</td>
                  <td>
                    {p.active ? "active" : "inactive"}
                    {effective_at > data.now && (
                      <span class="pill warn" title={`release ${version}`}>
                        from {utc(effective_at)}
                      </span>
                    )}
                    {pending && (
                      <span class="pill draft" data-testid="in-draft">
                        in draft{pending.price !== p.price ? `: ${money(pending.price)}` : ""}
                      </span>
                    )}
                  </td>
                  {edit && (
                    <td class="row-actions">
                      <form method="post" action={`/catalog/products/${path(p.sku)}/price`} class="inline">
                        <Csrf />
                        <label>
                          <span class="sr">New price of {p.sku}</span>
                          <input name="price" inputmode="decimal" size={7} placeholder={money((pending ?? p).price)} required data-testid="quick-price" />
                        </label>
                        <button type="submit" data-testid="quick-price-submit">
                          Change price
                        </button>
                      </form>
                      <a class="button" href={`/catalog/products/${path(p.sku)}`}>
                        Edit
                      </a>
                      {(pending ?? p).active && (
                        <form method="post" action={`/catalog/products/${path(p.sku)}/deactivate`} class="inline">
                          <Csrf />
                          <button type="submit" class="danger">
                            Deactivate
                          </button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {data.products.length >= data.limit && <p class="empty">Only the first {data.limit} are shown; search to narrow them.</p>}
      <h2>Tax classes</h2>
      {data.taxClasses.length === 0 ? (
        <p class="empty">No tax class has been published yet; products need one.</p>
      ) : (
        <table class="grid" data-testid="tax-classes">
          <thead>
            <tr>
              <th>Code</th>
              <th>Name</th>
              <th class="num">Rate</th>
              {edit && <th></th>}
            </tr>
          </thead>
          <tbody>
            {data.taxClasses.map(({ item: t }) => (
              <tr data-code={t.code}>
                <td>
                  <code>{t.code}</code>
                </td>
                <td>{t.name}</td>
                <td class="num">{rate(t.rate_bp)}</td>
                {edit && (
                  <td class="row-actions">
                    <a class="button" href={`/catalog/tax-classes/${path(t.code)}`}>
                      Edit
                    </a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function CatalogPage(props: { data: CatalogData; message?: string }) {
  const { data } = props;
  return (
    <HqPage title="Catalog" active="catalog" message={props.message}>
      <div class="heading">
        <h1>Catalog</h1>
        {may(useMe(), "catalog") && (
          <div class="actions">
            <a class="button" href="/catalog/new-product" data-testid="add-product">
              Add a product
            </a>
            <a class="button" href="/catalog/new-tax-class" data-testid="add-tax-class">
              Add a tax class
            </a>
            <a class="button primary" href="/catalog/draft">
              Draft release ({data.draftCount})
            </a>
          </div>
        )}
      </div>
      <p>As published in the latest release; changes go into the draft release until someone publishes it.</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form in the search landmark; <search> is not in hono/jsx types */}
      <form method="get" action="/catalog" class="search" role="search">
        <label for="q">Search name, SKU, barcode or category</label>
        <input
          id="q"
          name="q"
          type="search"
          value={data.q}
          autocomplete="off"
          data-testid="catalog-search"
          hx-get="/catalog"
          hx-trigger="input changed delay:300ms, search"
          hx-target="#catalog-results"
          hx-swap="outerHTML"
          hx-include="closest form"
        />
        <button type="submit">Search</button>
      </form>
      <CatalogResults data={data} />
    </HqPage>
  );
}

export function ProductFormPage(props: {
  taxCodes: string[];
  isNew: boolean;
  values: Record<string, string | boolean | undefined>;
  problems?: Problems;
  published: ProductView | null;
}) {
  const v = props.values;
  const p = props.problems ?? {};
  const text = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : undefined);
  const title = props.isNew ? "Add a product" : `Edit product ${text("sku")}`;
  const digits = useDigits();
  return (
    <HqPage title={title} active="catalog">
      <h1>{title}</h1>
      <p>Saving puts the change in the draft release; stores get it once the draft is published.</p>
      {props.published && (
        <p class="note">
          Published now: {props.published.name}, {minorToDecimal(props.published.price, digits)}, {props.published.tax_class}
          {props.published.active ? "" : ", inactive"}.
        </p>
      )}
      <form
        method="post"
        action={props.isNew ? "/catalog/products" : `/catalog/products/${path(text("sku") ?? "")}`}
        class="stack narrow"
        data-testid="product-form"
      >
        <Csrf />
        {props.isNew ? (
          <Field label="SKU" name="sku" value={text("sku")} error={p.sku} required maxlength={64} />
        ) : (
          <p>
            SKU <code>{text("sku")}</code>
          </p>
        )}
        <Field label="Name" name="name" value={text("name")} error={p.name} required maxlength={200} />
        <Field label="Barcode (8 to 14 digits, or empty)" name="barcode" value={text("barcode")} error={p.barcode} inputmode="numeric" maxlength={14} />
        <Field label="Price" name="price" value={text("price")} error={p.price} required inputmode="decimal" placeholder={minorToDecimal(249, digits)} />
        <label class={p.tax_class ? "field invalid" : "field"} for="f-tax_class">
          <span>Tax class</span>
          <select id="f-tax_class" name="tax_class" required aria-invalid={p.tax_class ? "true" : undefined} data-testid="tax_class-input">
            <option value="">—</option>
            {props.taxCodes.map((c) => (
              <option value={c} selected={c === text("tax_class")}>
                {c}
              </option>
            ))}
            {text("tax_class") && !props.taxCodes.includes(text("tax_class")!) && (
              <option value={text("tax_class")} selected>
                {text("tax_class")}
              </option>
            )}
          </select>
          {p.tax_class && (
            <small class="field-error" role="alert" data-testid="tax_class-error">
              {p.tax_class}
            </small>
          )}
        </label>
        <Field label="Category" name="category" value={text("category")} error={p.category} maxlength={60} />
        <label class="check">
          <input type="checkbox" name="weighed" checked={v.weighed === true} /> Sold by weight
        </label>
        <label class="check">
          <input type="checkbox" name="active" checked={v.active !== false} /> Active (on sale at the stores)
        </label>
        <div class="actions">
          <button type="submit" class="primary" data-testid="save-to-draft">
            Save to draft
          </button>
          <a class="button" href="/catalog">
            Cancel
          </a>
        </div>
      </form>
    </HqPage>
  );
}

export function TaxClassFormPage(props: { isNew: boolean; values: Record<string, string | undefined>; problems?: Problems }) {
  const v = props.values;
  const p = props.problems ?? {};
  const title = props.isNew ? "Add a tax class" : `Edit tax class ${v.code}`;
  return (
    <HqPage title={title} active="catalog">
      <h1>{title}</h1>
      <form method="post" action={props.isNew ? "/catalog/tax-classes" : `/catalog/tax-classes/${path(v.code ?? "")}`} class="stack narrow">
        <Csrf />
        {props.isNew ? (
          <Field label="Code" name="code" value={v.code} error={p.code} required maxlength={20} placeholder="STD" />
        ) : (
          <p>
            Code <code>{v.code}</code>
          </p>
        )}
        <Field label="Name" name="name" value={v.name} error={p.name} required maxlength={60} placeholder="Standard" />
        <Field label="Rate in percent" name="rate" value={v.rate} error={p.rate} required inputmode="decimal" placeholder="20" />
        <div class="actions">
          <button type="submit" class="primary">
            Save to draft
          </button>
          <a class="button" href="/catalog">
            Cancel
          </a>
        </div>
      </form>
    </HqPage>
  );
}

function productDiff(old: ProductView | null, now: ProductView, money: (n: number) => string): [string, string, string][] {
  const show = (k: keyof ProductView, x: ProductView) => {
    const val = x[k];
    if (k === "price") return money(x.price);
    if (typeof val === "boolean") return val ? "yes" : "no";
    return val === null ? "—" : String(val);
  };
  const fields: [keyof ProductView, string][] = [
    ["name", "Name"],
    ["barcode", "Barcode"],
    ["price", "Price"],
    ["tax_class", "Tax class"],
    ["category", "Category"],
    ["weighed", "By weight"],
    ["active", "Active"],
  ];
  return fields.filter(([k]) => !old || old[k] !== now[k]).map(([k, label]) => [label, old ? show(k, old) : "", show(k, now)]);
}

function taxDiff(old: TaxClassView | null, now: TaxClassView): [string, string, string][] {
  const rows: [string, string, string][] = [];
  if (!old || old.name !== now.name) rows.push(["Name", old?.name ?? "", now.name]);
  if (!old || old.rate_bp !== now.rate_bp) rows.push(["Rate", old ? rate(old.rate_bp) : "", rate(now.rate_bp)]);
  return rows;
}

export function DraftPage(props: {
  changes: DraftView[];
  fingerprint: string;
  scheduled: { version: number; effective_at: Date }[];
  values?: { effective_at?: string; note?: string };
  problems?: Problems;
  message?: string;
}) {
  const edit = may(useMe(), "catalog");
  const p = props.problems ?? {};
  const digits = useDigits();
  const money = (n: number) => minorToDecimal(n, digits);
  return (
    <HqPage title="Draft release" active="draft" message={props.message}>
      <h1>Draft release</h1>
      {p.publish && (
        <p class="message error" role="alert" data-testid="publish-error">
          {p.publish}
        </p>
      )}
      {props.changes.length === 0 ? (
        <p class="empty" data-testid="draft-empty">
          The draft is empty. Change the <a href="/catalog">catalog</a> to start one.
        </p>
      ) : (
        <>
          <table class="grid" data-testid="draft">
            <thead>
              <tr>
                <th>What</th>
                <th>Field</th>
                <th>Now</th>
                <th>In the draft</th>
                <th>Changed by</th>
                {edit && <th></th>}
              </tr>
            </thead>
            <tbody>
              {props.changes.map((c) => {
                const rows = c.kind === "product" ? productDiff(c.old, c.item, money) : taxDiff(c.old, c.item);
                const span = Math.max(1, rows.length);
                const label = c.kind === "product" ? `Product ${c.key}` : `Tax class ${c.key}`;
                return (rows.length === 0 ? [["(no difference)", "", ""] as [string, string, string]] : rows).map(([field, before, after], i) => (
                  <tr data-change={`${c.kind}:${c.key}`} class={i === 0 ? "first" : ""}>
                    {i === 0 && (
                      <td rowspan={span}>
                        {label}
                        {!c.old && <span class="pill ok">new</span>}
                      </td>
                    )}
                    <td>{field}</td>
                    <td class="old">{before}</td>
                    <td class="new" data-testid={`draft-${field.toLowerCase().replace(/ /g, "-")}`}>
                      {after}
                    </td>
                    {i === 0 && (
                      <td rowspan={span}>
                        {c.changed_by}, {utc(c.changed_at)}
                      </td>
                    )}
                    {i === 0 && edit && (
                      <td rowspan={span} class="row-actions">
                        <form method="post" action="/catalog/draft/remove">
                          <Csrf />
                          <input type="hidden" name="kind" value={c.kind} />
                          <input type="hidden" name="key" value={c.key} />
                          <button type="submit">Take out</button>
                        </form>
                      </td>
                    )}
                  </tr>
                ));
              })}
            </tbody>
          </table>
          {edit && (
            <>
              <h2>Publish</h2>
              {props.scheduled.length > 0 && (
                <p class="note" data-testid="scheduled-note">
                  Release {props.scheduled.at(-1)!.version} takes effect {utc(props.scheduled.at(-1)!.effective_at)}. Stores apply releases in order, so this
                  one cannot take effect before that.
                </p>
              )}
              <form method="post" action="/catalog/draft/publish" class="stack narrow" data-local-time data-testid="publish-form">
                <Csrf />
                <input type="hidden" name="fingerprint" value={props.fingerprint} />
                <input type="hidden" name="effective_at_iso" value="" />
                <Field
                  label="Effective from (UTC; empty for now)"
                  name="effective_at"
                  type="datetime-local"
                  value={props.values?.effective_at}
                  error={p.effective_at}
                  hint="A time ahead schedules the change, such as a price change for Monday morning."
                />
                <Field label="Note" name="note" value={props.values?.note} error={p.note} maxlength={500} placeholder="Weekly prices" />
                <button type="submit" class="primary" data-testid="publish">
                  Publish {props.changes.length} change{props.changes.length === 1 ? "" : "s"}
                </button>
              </form>
              <form method="post" action="/catalog/draft/discard" class="discard" data-confirm="Throw away every change in the draft?">
                <Csrf />
                <input type="hidden" name="fingerprint" value={props.fingerprint} />
                <button type="submit" class="danger" data-testid="discard">
                  Discard draft
                </button>
              </form>
            </>
          )}
        </>
      )}
    </HqPage>
  );
}

export function ReleasesPage(props: { now: Date; releases: ReleaseView[]; message?: string }) {
  return (
    <HqPage title="Releases" active="releases" message={props.message}>
      <h1>Catalog releases</h1>
      {props.releases.length === 0 ? (
        <p class="empty">Nothing has been published yet.</p>
      ) : (
        <table class="grid" data-testid="releases">
          <thead>
            <tr>
              <th class="num">Version</th>
              <th>Effective</th>
              <th>Published</th>
              <th>By</th>
              <th class="num">Products</th>
              <th class="num">Tax classes</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {props.releases.map((r) => (
              <tr data-version={String(r.version)}>
                <td class="num">{r.version}</td>
                <td>
                  <When at={r.effective_at} />
                  {r.effective_at > props.now && <span class="pill warn">scheduled</span>}
                </td>
                <td>
                  <When at={r.published_at} />
                </td>
                <td>{r.published_by ?? "—"}</td>
                <td class="num">{r.products}</td>
                <td class="num">{r.tax_classes}</td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </HqPage>
  );
}
