// The sale on the register: its lines, its totals and payments, and the message line. One source for page and fragment.

import type { Discount, Sale } from "../../domain/sale/sale.ts";
import { discountParts, type SaleTotals } from "../../domain/sale/totals.ts";
import { usePage } from "../ui/context.ts";
import { type Locale, money, percent, quantity } from "../ui/format.ts";
import { Suggestion, type SuggestionView } from "./suggestion.tsx";

export type SaleProps = { sale: Sale | null; totals: SaleTotals | null };

const post = (url: string, vals?: Record<string, string>) => ({
  "hx-post": url,
  "hx-target": "#lines",
  "hx-swap": "outerHTML",
  ...(vals ? { "hx-vals": JSON.stringify(vals) } : {}),
});

/**
 * A discount as the cashier reads it: a percentage with what it saves, an amount as what it takes — all of a line when
 * the amount given was more than the line (a €5 discount on a €2.29 line takes €2.29, and says so).
 */
function discountNote(d: Discount, taken: number, locale: Locale): string {
  if (d.kind === "percent") return `discount ${percent(d.bp)}: you save ${money(taken, locale)}`;
  if (taken < d.amount) return `discount ${money(taken, locale)}, all of it (${money(d.amount, locale)} was given)`;
  return `discount ${money(taken, locale)}`;
}

export function SaleLines({ sale, oob }: SaleProps & { oob?: boolean }) {
  const { locale } = usePage();
  const lines = sale?.lines ?? [];
  const parts = sale ? discountParts(sale) : null;
  return (
    <div id="lines" class="lines" data-sale-id={sale?.saleId ?? ""} hx-swap-oob={oob ? "true" : undefined}>
      <table>
        <caption class="sr-only">Items in this sale</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col" class="num col-price">
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
            const id = l.lineId;
            return (
              <tr data-testid="item-row" data-line-id={id} class={i === lines.length - 1 ? "item last" : "item"}>
                <td class="name">
                  <span class="item-name" title={l.name}>
                    {l.name}
                  </span>
                  <span class="note unit-price">
                    {money(l.unitPrice, locale)}
                    {l.weighed ? "/kg" : " each"}
                  </span>
                  {l.unitPrice !== l.originalPrice && (
                    <span class="note">
                      price changed from {money(l.originalPrice, locale)}
                      {l.overrideReason ? ` — ${l.overrideReason}` : ""}
                    </span>
                  )}
                  {l.discount && (
                    <span class="note" data-testid="line-discount">
                      {discountNote(l.discount, parts?.lines[i] ?? 0, locale)}
                      {l.discount.reason ? ` — ${l.discount.reason}` : ""}
                    </span>
                  )}
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
                <td class="num col-price">
                  {money(l.unitPrice, locale)}
                  {l.weighed ? "/kg" : ""}
                </td>
                <td class="num line-total" data-testid="item-total">
                  {parts ? money(parts.amounts[i]! - parts.lines[i]!, locale) : ""}
                </td>
                <td class="edit">
                  <button type="button" class="icon" aria-label={`Change ${l.name}`} hx-get={`/register/dialog/line/${id}`} hx-target="#dialog-body">
                    ✎
                  </button>
                </td>
              </tr>
            );
          })}
          {sale?.saleDiscount && parts && (
            <tr class="sale-discount" data-testid="sale-discount-row">
              <td class="name">
                <span class="item-name">Discount on the sale</span>
                <span class="note">{discountNote(sale.saleDiscount, parts.sale, locale)}</span>
              </td>
              <td></td>
              <td class="col-price"></td>
              <td class="num line-total">−{money(parts.sale, locale)}</td>
              <td class="edit">
                <button
                  type="button"
                  class="icon"
                  aria-label="Remove the discount on the sale"
                  data-testid="remove-sale-discount"
                  {...post("/register/discount", { kind: "none" })}
                >
                  ×
                </button>
              </td>
            </tr>
          )}
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
              <span>
                {p.method === "cash"
                  ? "Cash"
                  : p.method === "card"
                    ? `Card${p.card?.last4 ? ` •••• ${p.card.last4}` : ""}`
                    : p.voucher
                      ? "Store credit"
                      : "Voucher"}
              </span>
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

/** info: what happened; warn: done, but the cashier should know something; error: refused, nothing changed. */
export type MessageKind = "info" | "warn" | "error";

export function Message({ text, kind = "info", code, oob }: { text?: string | undefined; kind?: MessageKind | undefined; code?: string; oob?: boolean }) {
  return (
    <div id="message" class={`message ${kind}`} role={kind === "info" ? "status" : "alert"} data-code={code} hx-swap-oob={oob ? "true" : undefined}>
      {text ?? ""}
    </div>
  );
}

/**
 * What every sale action answers: the lines, and the totals and message beside them; the bought-together suggestion
 * only after a scan (any other action empties it).
 */
export function SaleUpdate(
  props: SaleProps & { message?: string | undefined; kind?: MessageKind | undefined; oob?: boolean; suggestion?: SuggestionView | null },
) {
  return (
    <>
      <SaleLines {...props} oob={props.oob ?? false} />
      <Totals {...props} oob />
      <Message text={props.message} kind={props.kind} oob />
      <Suggestion suggestion={props.suggestion ?? null} oob />
    </>
  );
}
