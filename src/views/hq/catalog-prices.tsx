// Price lists at head office: one store's own prices over the chain's, the changes waiting in the draft, and the form
// that puts a store's price (or the way back to the chain's) into the draft.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { useHqPage } from "./context.ts";
import { Field, HqPage } from "./layout.tsx";

/** A store's own price as published last, the chain's beside it. */
export type StorePriceView = { sku: string; name: string; price: number; chain_price: number | null; version: number };
/** A store price change in the draft; price null: back to the chain's price. */
export type StorePriceChangeView = {
  store_id: string;
  store_name: string;
  sku: string;
  name: string;
  price: number | null;
  chain_price: number;
  was: number | null;
};

/** The draft page's rows for a store price change: before → after, "chain's price" where the store has none. */
export function storePriceDiff(c: StorePriceChangeView, money: (n: number) => string): [string, string, string][] {
  const shown = (n: number | null) => (n === null ? `chain's price (${money(c.chain_price)})` : money(n));
  return [[`Price at ${c.store_name}`, shown(c.was), shown(c.price)]];
}

export function PriceListPage(props: {
  stores: { store_id: string; name: string }[];
  store: { store_id: string; name: string } | null;
  published: StorePriceView[];
  draft: StorePriceChangeView[];
  values?: Record<string, string | undefined>;
  problems?: Record<string, string>;
  message?: string;
  edit: boolean;
}) {
  const currency = useHqPage().currency;
  const money = (n: number) => formatMoney(n, currency);
  const p = props.problems ?? {};
  const storeId = props.store?.store_id ?? props.values?.store_id ?? "";
  return (
    <HqPage title="Store prices" active="catalog" message={props.message}>
      <div class="heading">
        <h1>Store prices{props.store ? `: ${props.store.name}` : ""}</h1>
        <div class="actions">
          <a class="button" href="/catalog">
            Catalog
          </a>
          <a class="button" href="/catalog/regions" data-testid="regions-link">
            Regions
          </a>
          <a class="button primary" href="/catalog/draft">
            Draft release
          </a>
        </div>
      </div>
      <p>
        A store's own price holds over its region's price and the chain's, at that store only. Changes go into the draft release and reach the store when it is
        published.
      </p>
      <form method="get" action="/catalog/prices" class="search">
        <label for="store">Store</label>
        <select id="store" name="store" data-testid="price-store">
          <option value="">—</option>
          {props.stores.map((s) => (
            <option value={s.store_id} selected={s.store_id === storeId}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      {props.store && (
        <>
          <h2>Published own prices</h2>
          {props.published.length === 0 ? (
            <p class="empty">{props.store.name} sells every product at the chain's price.</p>
          ) : (
            <PriceListTable rows={props.published} testid="store-prices" here="Price here" money={money} />
          )}
          {props.draft.length > 0 && (
            <>
              <h2>In the draft release</h2>
              <ul data-testid="store-prices-draft">
                {props.draft.map((d) => (
                  <li data-sku={d.sku}>
                    {d.sku} {d.name}: {storePriceDiff(d, money)[0]!.slice(1).join(" → ")}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {props.edit && (
        <>
          <h2>Set a store's price</h2>
          <form method="post" action="/catalog/prices" class="stack narrow" data-testid="store-price-form">
            <Csrf />
            <label class={p.store_id ? "field invalid" : "field"} for="f-store_id">
              <span>Store</span>
              <select id="f-store_id" name="store_id" required aria-invalid={p.store_id ? "true" : undefined}>
                <option value="">—</option>
                {props.stores.map((s) => (
                  <option value={s.store_id} selected={s.store_id === storeId}>
                    {s.name}
                  </option>
                ))}
              </select>
              {p.store_id && (
                <small class="field-error" role="alert">
                  {p.store_id}
                </small>
              )}
            </label>
            <PriceFields values={props.values} problems={p} where="store" testid="save-store-price" />
          </form>
        </>
      )}
    </HqPage>
  );
}

/** A price list as published: each product's price in the list, the chain's beside it. */
export function PriceListTable(props: {
  rows: { sku: string; name: string; price: number; chain_price: number | null }[];
  testid: string;
  here: string;
  money: (n: number) => string;
}) {
  return (
    <table class="grid" data-testid={props.testid}>
      <thead>
        <tr>
          <th>SKU</th>
          <th>Name</th>
          <th class="num">Chain's price</th>
          <th class="num">{props.here}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr data-sku={r.sku}>
            <td>
              <code>{r.sku}</code>
            </td>
            <td>{r.name}</td>
            <td class="num">{r.chain_price === null ? "—" : props.money(r.chain_price)}</td>
            <td class="num">{props.money(r.price)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A price list form's product and price, and its button: `where` names whose price it is ("store", "region"). */
export function PriceFields(props: { values?: Record<string, string | undefined>; problems: Record<string, string>; where: string; testid: string }) {
  const p = props.problems;
  return (
    <>
      <Field label="SKU" name="sku" value={props.values?.sku} error={p.sku} required maxlength={64} />
      <Field
        label={`Price ${props.where === "store" ? "at this store" : `in this ${props.where}`}`}
        name="price"
        value={props.values?.price}
        error={p.price}
        inputmode="decimal"
        hint={`Empty takes the ${props.where} back to the chain's price.`}
      />
      <div class="actions">
        <button type="submit" class="primary" data-testid={props.testid}>
          Save to draft
        </button>
      </div>
    </>
  );
}
