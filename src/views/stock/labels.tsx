// Shelf labels (/stock/labels): find products by name, SKU or barcode and tick them, paste or scan their codes one a
// line, or take every product whose price changed since a day — any of these together — then make the A4 PDF. Search
// keeps what is ticked: it is the same form, sent with the Search button, and changes nothing.
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type LabelProductView = { id: number; sku: string; barcode: string | null; name: string; price: number; weighed: boolean; active: boolean };

export type LabelsPageProps = {
  /** What was searched for, and what it found (those already ticked are left out: they are above). */
  q: string;
  found: LabelProductView[];
  searched: boolean;
  /** Ticked: they get labels. */
  chosen: LabelProductView[];
  typed: { barcodes: string; since: string };
  /** Where the ticked products came from, when a link chose them (a delivery). */
  from?: string | undefined;
  message?: { text: string; kind: "info" | "error" } | undefined;
  /** The most labels one PDF takes. */
  max: number;
};

export function LabelsPage(p: LabelsPageProps) {
  return (
    <OfficePage title="Shelf labels">
      <h1>Shelf labels</h1>
      <p class="summary">
        An A4 sheet of 24 labels (3 × 8) a page: name, price, the price per 100 g of what is sold by weight, a barcode and the SKU. At most {p.max} labels at
        once.
      </p>
      {p.message && (
        <p class={`message ${p.message.kind}`} role={p.message.kind === "error" ? "alert" : "status"} data-testid="form-message">
          {p.message.text}
        </p>
      )}
      <form method="post" action="/stock/labels" class="stack" data-testid="labels-form">
        <Csrf />
        <label for="labels-q">Find products: name, SKU or barcode</label>
        <div class="row-actions">
          <input id="labels-q" name="code" value={p.q} maxlength={100} autocomplete="off" inputmode="search" autofocus data-testid="labels-q" />
          {/* the first button: Enter in any field searches, which keeps what is ticked and makes nothing */}
          <button type="submit" name="step" value="search" data-testid="labels-search">
            Search
          </button>
        </div>
        {p.chosen.length > 0 && (
          <section aria-labelledby="labels-chosen" data-testid="labels-chosen">
            <h2 id="labels-chosen">
              Ticked: {p.chosen.length} {p.chosen.length === 1 ? "product" : "products"}
              {p.from ? ` · ${p.from}` : ""}
            </h2>
            <Products rows={p.chosen} ticked={true} />
          </section>
        )}
        {p.searched && (
          <section aria-labelledby="labels-found" data-testid="labels-found">
            <h2 id="labels-found">Found</h2>
            {p.found.length === 0 ? <p class="summary">No other product matches.</p> : <Products rows={p.found} ticked={false} />}
          </section>
        )}
        <label for="labels-barcodes">Or scan or paste barcodes or SKUs, one a line</label>
        <textarea id="labels-barcodes" name="barcodes" rows={5} data-testid="labels-barcodes">
          {p.typed.barcodes}
        </textarea>
        <label for="labels-since">And every product whose price changed on or after (new products too)</label>
        <input id="labels-since" name="since" type="date" value={p.typed.since} data-testid="labels-since" />
        <button type="submit" name="step" value="pdf" class="primary" data-testid="labels-make">
          Make the labels (PDF)
        </button>
      </form>
    </OfficePage>
  );
}

function Products({ rows, ticked }: { rows: LabelProductView[]; ticked: boolean }) {
  const { locale } = usePage();
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>Label</th>
          <th>Product</th>
          <th>Barcode</th>
          <th class="num">Price</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-testid={ticked ? "labels-chosen-row" : "labels-found-row"}>
            <td>
              <input type="checkbox" id={`pick-${r.id}`} name={`pick_${r.id}`} value="1" checked={ticked} aria-label={`Label for ${r.name}`} />
            </td>
            <td>
              <label for={`pick-${r.id}`}>{r.name}</label> <span class="note">{r.sku}</span>
              {!r.active && <span class="tag">not on sale</span>}
            </td>
            <td>{r.barcode ?? "—"}</td>
            <td class="num">
              {money(r.price, locale)}
              {r.weighed ? " / kg" : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
