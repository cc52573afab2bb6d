// Price lists at head office: one store's own prices over the chain's, the changes waiting in the draft, and the form
// that puts a store's price (or the way back to the chain's) into the draft.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { useHqPage } from "./context.ts";
import { DRAFT_RELEASE, Heading } from "./heading.tsx";
import { Field, HqPage } from "./layout.tsx";
import { SelectField } from "./select-field.tsx";

/** A price in a price list (a store's own, a region's) as published last, the chain's beside it. */
export type PublishedPriceView = { sku: string; name: string; price: number; chain_price: number | null; version: number };
export type StorePriceView = PublishedPriceView;
/** A price list's change in the draft; price null: back to the chain's price. */
export type PriceChangeView = { sku: string; name: string; price: number | null; chain_price: number; was: number | null };
export type StorePriceChangeView = PriceChangeView & { store_id: string; store_name: string };

/** The draft page's rows for a price list change named `what`: before → after, "chain's price" where the list has none. */
export function priceChangeDiff(what: string, c: PriceChangeView, money: (n: number) => string): [string, string, string][] {
  const shown = (n: number | null) => (n === null ? `chain's price (${money(c.chain_price)})` : money(n));
  return [[what, shown(c.was), shown(c.price)]];
}

/** The draft page's rows for a store price change. */
export function storePriceDiff(c: StorePriceChangeView, money: (n: number) => string): [string, string, string][] {
  return priceChangeDiff(`Price at ${c.store_name}`, c, money);
}

/** A price list's change in the draft, as one item of a list: the product, before → after. */
export function PriceChangeItem(props: { change: PriceChangeView; money: (n: number) => string }) {
  const c = props.change;
  const [, was, now] = priceChangeDiff("", c, props.money)[0]!;
  return (
    <li data-sku={c.sku}>
      {c.sku} {c.name}: {was} → {now}
    </li>
  );
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
      <Heading
        title={`Store prices${props.store ? `: ${props.store.name}` : ""}`}
        links={[{ href: "/catalog", label: "Catalog" }, { href: "/catalog/regions", label: "Regions", testid: "regions-link" }, DRAFT_RELEASE]}
      />
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
                  <PriceChangeItem change={d} money={money} />
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
            <SelectField
              label="Store"
              name="store_id"
              value={storeId}
              error={p.store_id}
              required
              options={props.stores.map((s) => ({ value: s.store_id, label: s.name }))}
            />
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
