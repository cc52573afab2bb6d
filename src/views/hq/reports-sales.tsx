// Head office's drill-down below the reports: a store's sales of one business day, and one sale's lines and tenders.
import { type Locale, money, quantity, day as shortDay } from "../ui/format.ts";
import { useHqPage } from "./context.ts";
import { HqPage } from "./layout.tsx";

export type DaySaleView = {
  sale_id: string;
  receipt_number: string;
  register_id: number;
  completed_at: Date;
  total_minor: number;
  lines: number;
  href: string;
};

/** A store's sales of one day: the drill-down from a store's days to its sales. */
export function DaySalesPage(p: { store: string; day: string; back: string; sales: DaySaleView[] }) {
  const { currency, timeZone } = useHqPage();
  const l: Locale = { currency, timeZone };
  const t = (at: Date) => new Intl.DateTimeFormat("en-GB", { timeZone, timeStyle: "short" }).format(at);
  return (
    <HqPage title={`Sales of ${p.store}, ${shortDay(p.day)}`} active="reports">
      <p>
        <a href={p.back}>← {p.store}'s days</a>
      </p>
      <h1>
        {p.store}: sales of {shortDay(p.day)}
      </h1>
      {p.sales.length === 0 ? (
        <p class="empty">Head office holds no sale of this store on this day.</p>
      ) : (
        <table class="grid" data-testid="day-sales">
          <thead>
            <tr>
              <th>Receipt</th>
              <th>Register</th>
              <th>Completed</th>
              <th class="num">Lines</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {p.sales.map((s) => (
              <tr data-testid="day-sale">
                <td>
                  <a href={s.href}>{s.receipt_number}</a>
                </td>
                <td>{s.register_id}</td>
                <td>{t(s.completed_at)}</td>
                <td class="num">{s.lines}</td>
                <td class="num">{money(s.total_minor, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </HqPage>
  );
}

export type SaleView = {
  receipt_number: string;
  register_id: number;
  completed_at: Date;
  total_minor: number;
  items: { line_no: number; sku: string; name: string; qty_milli: number; amount_minor: number; discount_minor: number; total_minor: number }[];
  paid: { method: string; amount_minor: number }[];
};

/** One sale as head office received it: its lines and tenders. */
export function SalePage(p: { store: string; back: string; sale: SaleView }) {
  const { currency, timeZone } = useHqPage();
  const l: Locale = { currency, timeZone };
  const s = p.sale;
  return (
    <HqPage title={`Receipt ${s.receipt_number}`} active="reports">
      <p>
        <a href={p.back}>← the day's sales</a>
      </p>
      <h1>
        Receipt {s.receipt_number} · {p.store}
      </h1>
      <p>
        Register {s.register_id}, completed {new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "short", timeStyle: "short" }).format(s.completed_at)}
      </p>
      <table class="grid" data-testid="sale-lines">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Product</th>
            <th class="num">Quantity</th>
            <th class="num">Amount</th>
            <th class="num">Discount</th>
            <th class="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {s.items.map((i) => (
            <tr>
              <td>
                <code>{i.sku}</code>
              </td>
              <td>{i.name}</td>
              <td class="num">{quantity(i.qty_milli, false)}</td>
              <td class="num">{money(i.amount_minor, l)}</td>
              <td class="num">{money(i.discount_minor, l)}</td>
              <td class="num">{money(i.total_minor, l)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colspan={5}>Total</th>
            <th class="num">{money(s.total_minor, l)}</th>
          </tr>
        </tfoot>
      </table>
      <h2>Paid</h2>
      <ul>
        {s.paid.map((x) => (
          <li>
            {x.method}: {money(x.amount_minor, l)}
          </li>
        ))}
      </ul>
    </HqPage>
  );
}
