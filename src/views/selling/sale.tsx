// The sale on the register: its lines, its totals and payments, and the message line. One source for page and fragment.

import type { Sale, SaleTotals } from "../../domain/sale/sale.ts";
import { usePage } from "../ui/context.ts";
import { money, percent, quantity } from "../ui/format.ts";

export type SaleProps = { sale: Sale | null; totals: SaleTotals | null };

const post = (url: string, vals?: Record<string, string>) => ({
  "hx-post": url,
  "hx-target": "#lines",
  "hx-swap": "outerHTML",
  ...(vals ? { "hx-vals": JSON.stringify(vals) } : {}),
});

export function SaleLines({ sale, totals }: SaleProps) {
  const { locale } = usePage();
  const lines = sale?.lines ?? [];
  return (
    <div id="lines" class="lines" data-sale-id={sale?.saleId ?? ""}>
      <table>
        <caption class="sr-only">Items in this sale</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col" class="num">
              Price
            </th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col">
              <span class="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const t = totals?.lines[i];
            const id = l.lineId;
            return (
              <tr data-testid="item-row" data-line-id={id} class={i === lines.length - 1 ? "item last" : "item"}>
                <td class="name">
                  <span class="item-name">{l.name}</span>
                  {l.unitPrice !== l.originalPrice && (
                    <span class="note">
                      price changed from {money(l.originalPrice, locale)}
                      {l.overrideReason ? ` — ${l.overrideReason}` : ""}
                    </span>
                  )}
                  {l.discount && (
                    <span class="note">
                      discount {l.discount.kind === "percent" ? percent(l.discount.bp) : money(l.discount.amount, locale)}
                      {l.discount.reason ? ` — ${l.discount.reason}` : ""}
                    </span>
                  )}
                  {t && t.discount > 0 && <span class="note">you save {money(t.discount, locale)}</span>}
                </td>
                <td class="num qty">
                  <div class="qty-cell">
                    {!l.weighed && (
                      <button type="button" class="step" aria-label={`One less ${l.name}`} {...post(`/register/lines/${id}/qty`, { delta: "-1" })}>
                        −
                      </button>
                    )}
                    <span class="qty-value" data-testid="item-qty">
                      {quantity(l.qtyMilli, l.weighed)}
                    </span>
                    {!l.weighed && (
                      <button type="button" class="step" aria-label={`One more ${l.name}`} {...post(`/register/lines/${id}/qty`, { delta: "1" })}>
                        +
                      </button>
                    )}
                  </div>
                </td>
                <td class="num">
                  {money(l.unitPrice, locale)}
                  {l.weighed ? "/kg" : ""}
                </td>
                <td class="num line-total" data-testid="item-total">
                  {t ? money(t.total, locale) : ""}
                </td>
                <td class="edit">
                  <button type="button" class="icon" aria-label={`Change ${l.name}`} hx-get={`/register/dialog/line/${id}`} hx-target="#dialog-body">
                    ✎
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {lines.length === 0 && <p class="empty">Scan an item or pick one on the right to start a sale.</p>}
    </div>
  );
}

export function Totals({ sale, totals, oob }: SaleProps & { oob?: boolean }) {
  const { locale } = usePage();
  const t = totals;
  return (
    <section id="totals" class="totals" aria-live="polite" aria-label="Sale totals" hx-swap-oob={oob ? "true" : undefined}>
      <dl>
        <div>
          <dt>Items</dt>
          <dd>{sale ? sale.lines.reduce((n, l) => n + (l.weighed ? 1 : l.qtyMilli / 1000), 0) : 0}</dd>
        </div>
        <div>
          <dt>Subtotal</dt>
          <dd>{money(t?.subtotal ?? 0, locale)}</dd>
        </div>
        {t && t.discount > 0 && (
          <div>
            <dt>Discount</dt>
            <dd>−{money(t.discount, locale)}</dd>
          </div>
        )}
        <div>
          <dt>{sale?.pricing.mode === "exclusive" ? "Tax" : "incl. tax"}</dt>
          <dd>{money(t?.tax ?? 0, locale)}</dd>
        </div>
        <div class="grand">
          <dt>Total</dt>
          <dd data-testid="sale-total">{money(t?.total ?? 0, locale)}</dd>
        </div>
      </dl>
      {sale && sale.payments.length > 0 && (
        <ul class="payments" aria-label="Payments">
          {sale.payments.map((p) => (
            <li>
              <span>{p.method === "cash" ? "Cash" : p.method === "card" ? `Card${p.card?.last4 ? ` •••• ${p.card.last4}` : ""}` : "Voucher"}</span>
              <span>{money(p.amount, locale)}</span>
              <button
                type="button"
                class="icon"
                aria-label="Remove this payment"
                hx-get={`/register/dialog/payment/${p.paymentId}`}
                hx-target="#dialog-body"
                data-testid="remove-payment"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="due">
        <span>{sale && sale.payments.length > 0 ? "Still due" : "To pay"}</span>
        <strong data-testid="total-due">{money(t?.due ?? 0, locale)}</strong>
      </div>
    </section>
  );
}

export function Message({ text, kind = "info", oob }: { text?: string; kind?: "info" | "error"; oob?: boolean }) {
  return (
    <div id="message" class={`message ${kind}`} role={kind === "error" ? "alert" : "status"} hx-swap-oob={oob ? "true" : undefined}>
      {text ?? ""}
    </div>
  );
}

/** What every sale action answers: the lines, and the totals and message beside them. */
export function SaleUpdate(props: SaleProps & { message?: string }) {
  return (
    <>
      <SaleLines {...props} />
      <Totals {...props} oob />
      <Message text={props.message} oob />
    </>
  );
}
