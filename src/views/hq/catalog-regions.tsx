// Regions at head office: the list of regions, and one region's page — its prices over the chain's, its stores, what
// the draft changes for it, and the forms that put a region price or a store's move into the draft.
import { formatMoney } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { PriceChangeItem, type PriceChangeView, PriceFields, PriceListTable, type PublishedPriceView, priceChangeDiff } from "./catalog-prices.tsx";
import { useHqPage, useMe } from "./context.ts";
import { DRAFT_RELEASE, Heading } from "./heading.tsx";
import { Field, HqPage, may } from "./layout.tsx";
import { SelectField } from "./select-field.tsx";

export type RegionView = { region_id: number; name: string; stores: number; prices: number };
export type RegionPriceView = PublishedPriceView;
export type RegionPriceChangeView = PriceChangeView & { region_id: number; region_name: string };
export type StoreRegionChangeView = {
  store_id: string;
  store_name: string;
  region_id: number | null;
  region_name: string | null;
  was_id: number | null;
  was_name: string | null;
};

/** The draft page's rows for a region price change. */
export function regionPriceDiff(c: RegionPriceChangeView, money: (n: number) => string): [string, string, string][] {
  return priceChangeDiff(`Price in ${c.region_name}`, c, money);
}

/** The draft page's row for a store moving region. */
export function storeRegionDiff(c: StoreRegionChangeView): [string, string, string][] {
  return [["Region", c.was_name ?? "none", c.region_name ?? "none"]];
}

export function RegionsPage(props: { regions: RegionView[]; values?: { name?: string }; problems?: Record<string, string>; message?: string }) {
  const p = props.problems ?? {};
  return (
    <HqPage title="Regions" active="catalog" message={props.message}>
      <Heading title="Regions" links={[{ href: "/catalog/prices", label: "Store prices" }]} />
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
      <Heading title={`Region ${r.name}`} links={[{ href: "/catalog/regions", label: "Regions" }, DRAFT_RELEASE]} />
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
              <PriceChangeItem change={d} money={money} />
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
