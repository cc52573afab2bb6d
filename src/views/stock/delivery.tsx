// Receiving a delivery (/stock/deliveries): scan what came into the list (each scan one more of it; "x12" for many,
// "@0.80" for the unit cost) or paste the supplier's CSV; Check shows what it reads, Receive takes it in at once.
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money, quantity } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type DeliveryLineView = { sku: string; name: string; qtyMilli: number; weighed: boolean; unitCost: number | null; onHandMilli: number };

export type DeliveryPageProps = {
  typed: { supplier: string; reference: string; items: string };
  lines: DeliveryLineView[];
  problems: { line: number; text: string; message: string }[];
  message?: { text: string; kind: "info" | "error" } | undefined;
  /** After a delivery is taken in: the page that makes its products' shelf labels. */
  labels?: string | undefined;
};

export function DeliveryPage(p: DeliveryPageProps) {
  const { locale } = usePage();
  const total = p.lines.reduce((s, l) => s + (l.unitCost === null ? 0 : Math.round((l.qtyMilli * l.unitCost) / 1000)), 0);
  return (
    <OfficePage title="Receive a delivery">
      <h1>Receive a delivery</h1>
      {p.message && (
        <p class={`message ${p.message.kind}`} role={p.message.kind === "error" ? "alert" : "status"} data-testid="form-message">
          {p.message.text}
        </p>
      )}
      {p.labels && (
        <p>
          <a href={p.labels} class="button" data-testid="delivery-labels">
            Shelf labels for these products
          </a>
        </p>
      )}
      <form method="post" action="/stock/deliveries" enctype="multipart/form-data" class="stack" data-testid="delivery-form">
        <Csrf />
        <label for="delivery-supplier">Supplier</label>
        <input id="delivery-supplier" name="supplier" value={p.typed.supplier} required maxlength={100} data-testid="delivery-supplier" />
        <label for="delivery-reference">Delivery note number (optional)</label>
        <input id="delivery-reference" name="reference" value={p.typed.reference} maxlength={60} data-testid="delivery-reference" />
        <label for="delivery-items">
          What came: scan each item (each scan is one more), or type a barcode or SKU a line, "x12" for twelve, "@0.80" for the unit cost; or paste the
          supplier's CSV (sku,qty,unit_cost)
        </label>
        <textarea id="delivery-items" name="items" rows={10} autofocus data-testid="delivery-items">
          {p.typed.items}
        </textarea>
        <label for="delivery-file">or the supplier's CSV file (it takes the place of the list above)</label>
        <input id="delivery-file" type="file" name="file" accept=".csv,text/csv,text/plain" data-testid="delivery-file" />
        <div class="row-actions">
          <button type="submit" name="step" value="check" data-testid="delivery-check">
            Check
          </button>
          <button type="submit" name="step" value="receive" class="primary" data-testid="delivery-receive">
            Receive
          </button>
        </div>
      </form>
      {p.problems.length > 0 && (
        <section aria-label="Lines to put right" data-testid="delivery-problems">
          <h2>To put right before receiving</h2>
          <ul>
            {p.problems.map((x) => (
              <li data-testid="delivery-problem">
                {x.line > 0 ? `Line ${x.line} (${x.text}): ` : ""}
                {x.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.lines.length > 0 && (
        <table class="grid" data-testid="delivery-lines">
          <thead>
            <tr>
              <th>Product</th>
              <th class="num">Quantity</th>
              <th class="num">Unit cost</th>
              <th class="num">On hand now</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr data-testid="delivery-line">
                <td>
                  {l.name} <span class="note">{l.sku}</span>
                </td>
                <td class="num">{quantity(l.qtyMilli, l.weighed)}</td>
                <td class="num">{l.unitCost === null ? "—" : money(l.unitCost, locale)}</td>
                <td class="num">{quantity(l.onHandMilli, l.weighed)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colspan={2}>
                {p.lines.length} {p.lines.length === 1 ? "product" : "products"}
              </td>
              <td class="num" data-testid="delivery-total">
                {money(total, locale)}
              </td>
              <td></td>
            </tr>
          </tfoot>
        </table>
      )}
    </OfficePage>
  );
}
