// The catalog at head office: browse and search what was published, edit into the draft, publish, release history.
import { currencyDigits, formatMoney, minorToDecimal } from "../../domain/kernel/money.ts";
import { Csrf, PostButton } from "../ui/card.tsx";
import { CatalogFilters, type CatalogFilterView, type CatalogListView, CatalogPager, isFiltered } from "./catalog-list.tsx";
import type { StorePriceChangeView } from "./catalog-prices.tsx";
import type { RegionPriceChangeView, StoreRegionChangeView } from "./catalog-regions.tsx";
import { CategorySelect } from "./categories.tsx";
import { useHqPage, useMe } from "./context.ts";
import { Field, HqPage, may, utc } from "./layout.tsx";

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
  | { kind: "tax_class"; key: string; item: TaxClassView; old: TaxClassView | null; changed_by: string; changed_at: Date }
  | { kind: "store_price"; key: string; item: StorePriceChangeView; old: null; changed_by: string; changed_at: Date }
  | { kind: "region_price"; key: string; item: RegionPriceChangeView; old: null; changed_by: string; changed_at: Date }
  | { kind: "store_region"; key: string; item: StoreRegionChangeView; old: null; changed_by: string; changed_at: Date };
export type ReleaseView = {
  version: number;
  published_at: Date;
  effective_at: Date;
  note: string;
  published_by: string | null;
  products: number;
  tax_classes: number;
};

export type Problems = Record<string, string>;
export const path = (s: string) => encodeURIComponent(s);
export const rate = (bp: number) => `${minorToDecimal(bp, 2).replace(/\.?0+$/, "")} %`;
/** Decimals of head office's currency, as prices are typed and shown. */
export const useDigits = () => currencyDigits(useHqPage().currency);

export type CatalogData = {
  filter: CatalogFilterView;
  now: Date;
  /** One page of products, 50 at most. */
  list: CatalogListView<ProductView>;
  /** The filters' choices. */
  categories: string[];
  taxCodes: string[];
  taxClasses: PublishedView<TaxClassView>[];
  /** The draft's pending item for a sku, when there is one. */
  draftSkus: Record<string, ProductView>;
  draftCount: number;
};

/** The product and tax class tables: the whole page shows them, and the search box asks for just them. */
export function CatalogResults(props: { data: CatalogData }) {
  const { data } = props;
  const edit = may(useMe(), "catalog");
  const digits = useDigits();
  const money = (n: number) => minorToDecimal(n, digits);
  const currency = useHqPage().currency;
  const filtered = isFiltered(data.filter);
  return (
    <div id="catalog-results">
      <h2>Products{data.filter.q ? ` matching "${data.filter.q}"` : filtered ? " (filtered)" : ""}</h2>
      {data.list.rows.length === 0 ? (
        <p class="empty">{filtered ? "No product matches." : "No product has been published yet."}</p>
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
            {data.list.rows.map(({ item: p, version, effective_at }) => {
              const pending = data.draftSkus[p.sku];
              return (
                <tr data-sku={p.sku} class={p.active ? "" : "inactive"}>
                  <td>
                    <code>{p.sku}</code>
                  </td>
                  <td>{p.name}</td>
                  <td>{p.barcode ?? ""}</td>
                  <td class="num" data-testid="price">
                    {formatMoney(p.price, currency)}
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
                        <PostButton action={`/catalog/products/${path(p.sku)}/deactivate`} formClass="inline" buttonClass="danger" label="Deactivate" />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <CatalogPager filter={data.filter} next={data.list.next} previous={data.list.previous} />
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
            <a class="button" href="/catalog/import" data-testid="import-products">
              Import CSV
            </a>
            <a class="button" href="/catalog/prices" data-testid="store-prices">
              Store prices
            </a>
            <a class="button primary" href="/catalog/draft">
              Draft release ({data.draftCount})
            </a>
          </div>
        )}
      </div>
      <p>As published in the latest release; changes go into the draft release until someone publishes it.</p>
      <CatalogFilters filter={data.filter} categories={data.categories} taxClasses={data.taxCodes} />
      <CatalogResults data={data} />
    </HqPage>
  );
}

export function ProductFormPage(props: {
  taxCodes: string[];
  /** The category list: the product picks from it. */
  categories?: string[];
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
        <Field label="Barcode (8, 12, 13 or 14 digits, or empty)" name="barcode" value={text("barcode")} error={p.barcode} inputmode="numeric" maxlength={14} />
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
        <CategorySelect categories={props.categories ?? []} value={text("category")} error={p.category} />
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
