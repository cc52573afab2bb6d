// A receipt as HTML, from the same document the printer gets, so the screen shows what the paper says.

import { type ReceiptDocument, spacedCode } from "../../domain/sale/receipt.ts";
import { usePage } from "../ui/context.ts";
import { money, percent, quantity, time } from "../ui/format.ts";

export function ReceiptView({ doc }: { doc: ReceiptDocument }) {
  const { locale } = usePage();
  return (
    <article class="receipt" aria-label={`Receipt ${doc.receiptNumber}`}>
      <header>
        <strong>{doc.store.name}</strong>
        {doc.store.address.map((l) => (
          <div>{l}</div>
        ))}
        {doc.store.taxId && <div>Tax id {doc.store.taxId}</div>}
        {doc.store.header.map((l) => (
          <div>{l}</div>
        ))}
        {doc.returnOf && <div class="copy">RETURN</div>}
        {doc.copy && <div class="copy">COPY</div>}
      </header>
      <div class="r-meta">
        <span>
          {doc.returnOf ? "Return" : "Receipt"} {doc.receiptNumber}
          {doc.returnOf ? ` · of receipt ${doc.returnOf}` : ""}
        </span>
        <span>{time(doc.at, locale)}</span>
        <span>
          {doc.register}
          {doc.cashier ? ` · ${doc.cashier}` : ""}
        </span>
      </div>
      <table class="r-lines">
        <tbody>
          {doc.lines.map((l) => (
            <>
              <tr>
                <td>{l.name}</td>
                <td class="num">{money(l.total, locale)}</td>
              </tr>
              {(l.qtyMilli !== 1000 || l.weighed) && (
                <tr class="sub">
                  <td colspan={2}>
                    {quantity(l.qtyMilli, l.weighed)} × {money(l.unitPrice, locale)}
                    {l.weighed ? "/kg" : ""}
                  </td>
                </tr>
              )}
              {l.discount > 0 && (
                <tr class="sub">
                  <td>discount</td>
                  <td class="num">−{money(l.discount, locale)}</td>
                </tr>
              )}
              {l.note && (
                <tr class="sub">
                  <td colspan={2}>{l.note}</td>
                </tr>
              )}
            </>
          ))}
        </tbody>
      </table>
      <dl class="r-totals">
        {doc.discount > 0 && (
          <div>
            <dt>Discounts</dt>
            <dd>−{money(doc.discount, locale)}</dd>
          </div>
        )}
        <div class="grand">
          <dt>{doc.returnOf ? "REFUND" : "TOTAL"}</dt>
          <dd>{money(doc.total, locale)}</dd>
        </div>
        {doc.rounding !== 0 && (
          <div>
            <dt>Cash rounding</dt>
            <dd>{money(doc.rounding, locale)}</dd>
          </div>
        )}
        {doc.payments.map((p) => (
          <div>
            <dt>
              {p.method}
              {p.detail ? ` ${p.detail}` : ""}
            </dt>
            <dd>{money(p.amount, locale)}</dd>
          </div>
        ))}
        {!doc.returnOf && (
          <div>
            <dt>Change</dt>
            <dd>{money(doc.change, locale)}</dd>
          </div>
        )}
      </dl>
      <table class="r-tax">
        <thead>
          <tr>
            <th>Rate</th>
            <th class="num">Net</th>
            <th class="num">Tax</th>
          </tr>
        </thead>
        <tbody>
          {doc.taxes.map((x) => (
            <tr>
              <td>
                {x.label} {percent(x.rateBp)}
              </td>
              <td class="num">{money(x.net, locale)}</td>
              <td class="num">{money(x.tax, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {doc.storeCredit && (
        <section class="r-credit" data-testid="store-credit">
          <strong>STORE CREDIT</strong>
          <div>
            <span data-testid="store-credit-code">{spacedCode(doc.storeCredit.code)}</span> {money(doc.storeCredit.amount, locale)}
          </div>
          <small>Use it as payment in this store</small>
        </section>
      )}
      <footer>
        {doc.store.footer.map((l) => (
          <div>{l}</div>
        ))}
      </footer>
    </article>
  );
}
