// Regions at head office: the list of regions, and one region's page — its prices over the chain's, its stores, what
// the draft changes for it, and the forms that put a region price or a store's move into the draft.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { PriceFields, PriceListTable } from "./catalog-prices.tsx";
import { useHqPage, useMe } from "./context.ts";
import { Field, HqPage, may } from "./layout.tsx";

export type RegionView = { region_id: number; name: string; stores: number; prices: number };
/** A region's price as published last, the chain's beside it. */
export type RegionPriceView = { sku: string; name: string; price: number; chain_price: number | null; version: number };
export type RegionPriceChangeView = {
  region_id: number;
  region_name: string;
  sku: string;
  name: string;
  price: number | null;
  chain_price: number;
  was: number | null;
};
export type StoreRegionChangeView = {
  store_id: string;
  store_name: string;
  region_id: number | null;
  region_name: string | null;
  was_id: number | null;
  was_name: string | null;
};

/** The draft page's rows for a region price change: before → after, "chain's price" where the region has none. */
export function regionPriceDiff(c: RegionPriceChangeView, money: (n: number) => string): [string, string, string][] {
  const shown = (n: number | null) => (n === null ? `chain's price (${money(c.chain_price)})` : money(n));
  return [[`Price in ${c.region_name}`, shown(c.was), shown(c.price)]];
}

/** The draft page's row for a store moving region. */
export function storeRegionDiff(c: StoreRegionChangeView): [string, string, string][] {
  return [["Region", c.was_name ?? "none", c.region_name ?? "none"]];
}

/** A labelled choice of one of a list, with its sentence when refused. */
export function SelectField(props: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  value: string | undefined;
  error?: string | undefined;
  empty?: string;
  testid?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <label class={props.error ? "field invalid" : "field"} for={id}>
      <span>{props.label}</span>
      <select id={id} name={props.name} aria-invalid={props.error ? "true" : undefined} data-testid={props.testid}>
        <option value="">{props.empty ?? "—"}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <small class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </label>
  );
}

export function RegionsPage(props: { regions: RegionView[]; values?: { name?: string }; problems?: Record<string, string>; message?: string }) {
  const p = props.problems ?? {};
  return (
    <HqPage title="Regions" active="catalog" message={props.message}>
      <div class="heading">
        <h1>Regions</h1>
        <div class="actions">
          <a class="button" href="/catalog/prices">
            Store prices
          </a>
        </div>
      </div>
      <p>
        A region's price holds at every store of the region, over the chain's price; a store's own price holds over its region's. Prices and moves go into the
        draft release.
      </p>
      {props.regions.length === 0 ? (
        <p class="empty" data-testid="regions-empty">
          There are no regions yet.
        </p>
      ) : (
        <table class="grid" data-testid="regions">
          <thead>
            <tr>
              <th>Region</th>
              <th class="num">Stores</th>
              <th class="num">Prices</th>
            </tr>
          </thead>
          <tbody>
            {props.regions.map((r) => (
              <tr data-testid="region-row" data-region={r.name}>
                <td>
                  <a href={`/catalog/regions/${r.region_id}`}>{r.name}</a>
                </td>
                <td class="num">{r.stores}</td>
                <td class="num">{r.prices}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may(useMe(), "catalog") && (
        <form method="post" action="/catalog/regions" class="stack narrow" data-testid="region-form">
          <Csrf />
          <Field label="New region" name="name" value={props.values?.name} error={p.name} required maxlength={60} placeholder="North" />
          <div class="actions">
            <button type="submit" class="primary" data-testid="add-region">
              Add region
            </button>
          </div>
        </form>
      )}
    </HqPage>
  );
}

export function RegionPage(props: {
  region: { region_id: number; name: string };
  published: RegionPriceView[];
  stores: { store_id: string; name: string }[];
  draft: RegionPriceChangeView[];
  moves: StoreRegionChangeView[];
  allStores: { store_id: string; name: string; region: string | null }[];
  values?: Record<string, string | undefined>;
  problems?: Record<string, string>;
  message?: string;
}) {
  const money = (n: number) => formatMoney(n, useHqPage().currency);
  const p = props.problems ?? {};
  const r = props.region;
  const edit = may(useMe(), "catalog");
  return (
    <HqPage title={`Region ${r.name}`} active="catalog" message={props.message}>
      <div class="heading">
        <h1>Region {r.name}</h1>
        <div class="actions">
          <a class="button" href="/catalog/regions">
            Regions
          </a>
          <a class="button primary" href="/catalog/draft">
            Draft release
          </a>
        </div>
      </div>
      <h2>Stores</h2>
      {props.stores.length === 0 ? (
        <p class="empty">No store is in {r.name} yet.</p>
      ) : (
        <ul data-testid="region-stores">
          {props.stores.map((s) => (
            <li>
              <a href={`/stores/${s.store_id}`}>{s.name}</a>
            </li>
          ))}
        </ul>
      )}
      <h2>Published prices</h2>
      {props.published.length === 0 ? (
        <p class="empty">{r.name}'s stores sell every product at the chain's price (or their own).</p>
      ) : (
        <PriceListTable rows={props.published} testid="region-prices" here={`Price in ${r.name}`} money={money} />
      )}
      {props.draft.length + props.moves.length > 0 && (
        <>
          <h2>In the draft release</h2>
          <ul data-testid="region-draft">
            {props.draft.map((d) => (
              <li data-sku={d.sku}>
                {d.sku} {d.name}: {regionPriceDiff(d, money)[0]!.slice(1).join(" → ")}
              </li>
            ))}
            {props.moves.map((m) => (
              <li data-store-id={m.store_id}>
                {m.store_name}: {storeRegionDiff(m)[0]!.slice(1).join(" → ")}
              </li>
            ))}
          </ul>
        </>
      )}
      {edit && (
        <div class="columns">
          <form method="post" action={`/catalog/regions/${r.region_id}/prices`} class="stack narrow" data-testid="region-price-form">
            <h2>Set a price in {r.name}</h2>
            <Csrf />
            <PriceFields values={props.values} problems={p} where="region" testid="save-region-price" />
          </form>
          <form method="post" action={`/catalog/regions/${r.region_id}/stores`} class="stack narrow" data-testid="region-store-form">
            <h2>Move a store into {r.name}</h2>
            <Csrf />
            <SelectField
              label="Store"
              name="store_id"
              value={props.values?.store_id}
              error={p.store_id}
              testid="region-store"
              options={props.allStores.map((s) => ({ value: s.store_id, label: s.region ? `${s.name} (now ${s.region})` : s.name }))}
            />
            <label class="check">
              <input type="checkbox" name="out" value="1" /> Take it out of {r.name} instead (to no region)
            </label>
            <div class="actions">
              <button type="submit" data-testid="save-region-store">
                Save to draft
              </button>
            </div>
            <small>A move takes effect when its release is published; publish it without an effective time.</small>
          </form>
        </div>
      )}
    </HqPage>
  );
}
