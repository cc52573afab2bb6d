// Publishing at head office: the draft's changes against what was published, and the history of releases.
import { minorToDecimal } from "../../domain/kernel/money.ts";
import { Csrf } from "../ui/card.tsx";
import { type DraftView, type Problems, type ProductView, type ReleaseView, rate, type TaxClassView, useDigits } from "./catalog.tsx";
import { storePriceDiff } from "./catalog-prices.tsx";
import { regionPriceDiff, storeRegionDiff } from "./catalog-regions.tsx";
import { useMe } from "./context.ts";
import { Field, HqPage, may, utc, When } from "./layout.tsx";

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
  values?: { effective_at?: string; note?: string; confirm_past?: string };
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
                const [label, rows] = draftRow(c, money);
                const span = Math.max(1, rows.length);
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
                  Release {props.scheduled.at(-1)!.version} takes effect {utc(props.scheduled.at(-1)!.effective_at)}. This one takes effect at its own time all
                  the same; where both change the same field of a product, the one taking effect later wins from its time on.
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
                <label class="check">
                  <input type="checkbox" name="confirm_past" value="1" checked={props.values?.confirm_past === "1"} data-testid="confirm-past" /> Yes, in the
                  past: the time above has gone by and that is meant
                </label>
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

/** What a draft change is called on the draft page, and its rows: field, now, in the draft. */
function draftRow(c: DraftView, money: (n: number) => string): [string, [string, string, string][]] {
  switch (c.kind) {
    case "product":
      return [`Product ${c.key}`, productDiff(c.old, c.item, money)];
    case "tax_class":
      return [`Tax class ${c.key}`, taxDiff(c.old, c.item)];
    case "store_price":
      return [`Store price ${c.item.sku}`, storePriceDiff(c.item, money)];
    case "region_price":
      return [`Region price ${c.item.sku}`, regionPriceDiff(c.item, money)];
    case "store_region":
      return [`Store ${c.item.store_name}`, storeRegionDiff(c.item)];
  }
}
