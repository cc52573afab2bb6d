// A count's sheet (/stock/counts/:id): the scan box — each scan adds one ("x12" for twelve, a weighed label its
// weight) and shows the line just counted with its total from every device — the latest lines, each with a "set to"
// for a typed correction, and a count list to bring in as CSV. The same scan panel is the page's and the htmx reply's.
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { quantity, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";
import { type CountRowView, statusWords } from "./counts.tsx";

/** A count as its sheet shows it: the list's row without the value, which only an approved count has. */
export type CountView = Omit<CountRowView, "value">;

export type SheetLineView = { productId: number; sku: string; name: string; weighed: boolean; countedMilli: number; countedAt: string };

/** What the last scan did: the product, how many it added, and its line's count now (all devices together). */
export type LastScan = { name: string; weighed: boolean; addedMilli: number; countedMilli: number };

export type CountSheetProps = {
  count: CountView;
  lines: SheetLineView[];
  last?: LastScan | null | undefined;
  message?: { text: string; kind: "info" | "error" } | undefined;
  /** A count list that could not be brought in: what was pasted, and each row's problem. */
  list?: { typed: string; problems: { line: number; message: string }[] } | undefined;
};

const Message = ({ message }: { message?: { text: string; kind: "info" | "error" } | undefined }) =>
  message ? (
    <p class={`message ${message.kind}`} role={message.kind === "error" ? "alert" : "status"} data-testid="form-message">
      {message.text}
    </p>
  ) : null;

/** The scan box and what the last scan did. htmx swaps it whole, so the box is empty and focused for the next item. */
export function ScanPanel(p: { countId: string; last?: LastScan | null | undefined; error?: { code: string; text: string } | undefined }) {
  return (
    <section id="count-scan-panel" aria-label="Scan">
      <form
        method="post"
        action={`/stock/counts/${p.countId}/scan`}
        hx-post={`/stock/counts/${p.countId}/scan`}
        hx-target="#count-scan-panel"
        hx-swap="outerHTML"
        class="inline-form"
        data-testid="count-scan"
      >
        <Csrf />
        <label for="count-code">Scan, or type a barcode or SKU ("x12" for twelve, "x2.5" kilos)</label>
        {/* named like a delivery's list: the text gate reads its first word as a code, the rest as words */}
        <input id="count-code" name="items" maxlength={100} autocomplete="off" autofocus required data-testid="count-code" />
        <button type="submit" class="primary" data-testid="count-scan-button">
          Count
        </button>
      </form>
      {p.error ? (
        <p class="message error" role="alert" data-testid="count-last" data-code={p.error.code}>
          {p.error.text}
        </p>
      ) : p.last ? (
        <p class="message info" role="status" data-testid="count-last">
          {p.last.name}: +{quantity(p.last.addedMilli, p.last.weighed)}, {quantity(p.last.countedMilli, p.last.weighed)} counted
        </p>
      ) : null}
    </section>
  );
}

/** The latest lines, each with a "set to"; htmx replaces it after every scan (out of band), other devices' scans in it. */
export function SheetLines(p: { count: CountView; lines: SheetLineView[]; oob?: boolean }) {
  const { locale } = usePage();
  const open = p.count.status === "open";
  return (
    <section id="count-lines" aria-label="Counted" {...(p.oob ? { "hx-swap-oob": "true" } : {})}>
      <h2>
        Counted: <span data-testid="count-products">{p.count.lines}</span> {p.count.lines === 1 ? "product" : "products"}
        {p.count.lines > p.lines.length ? ` (the latest ${p.lines.length} shown)` : ""}
      </h2>
      {p.lines.length > 0 && (
        <table class="grid" data-testid="count-lines">
          <thead>
            <tr>
              <th>Product</th>
              <th class="num">Counted</th>
              <th>Last counted</th>
              {open && <th>Correct it</th>}
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr data-testid="count-line">
                <td>
                  {l.name} <span class="note">{l.sku}</span>
                </td>
                <td class="num" data-testid="count-line-qty">
                  {quantity(l.countedMilli, l.weighed)}
                </td>
                <td>{time(l.countedAt, locale)}</td>
                {open && (
                  <td>
                    <form method="post" action={`/stock/counts/${p.count.id}/lines/${l.productId}`} class="inline-form">
                      <Csrf />
                      <input name="qty" aria-label={`${l.name}: set to`} inputmode="decimal" maxlength={20} size={6} autocomplete="off" />
                      <button type="submit" data-testid="count-set">
                        Set to
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CountSheetPage(p: CountSheetProps) {
  const { locale } = usePage();
  const c = p.count;
  return (
    <OfficePage title="Stock count">
      <h1>Stock count of {c.scope}</h1>
      <p data-testid="count-status">
        {statusWords[c.status]} · started {time(c.openedAt, locale)}
        {c.openedBy ? ` by ${c.openedBy}` : ""} ·{" "}
        <a href={`/stock/counts/${c.id}/report`} data-testid="count-report-link">
          {c.status === "open" ? "Review the differences" : "The differences"}
        </a>{" "}
        · <a href="/stock/counts">All counts</a>
      </p>
      <Message message={p.message} />
      {c.status === "open" && <ScanPanel countId={c.id} last={p.last} />}
      <SheetLines count={c} lines={p.lines} />
      {c.status === "open" && (
        <section aria-label="Bring in a count list">
          <h2>Bring in a count list</h2>
          <form method="post" action={`/stock/counts/${c.id}/import`} enctype="multipart/form-data" class="stack" data-testid="count-import">
            <Csrf />
            <label for="count-file">A CSV file from a handheld or a spreadsheet: columns sku or barcode, and qty (each row adds, as a scan does)</label>
            <input id="count-file" type="file" name="file" accept=".csv,text/csv,text/plain" data-testid="count-file" />
            <label for="count-list">or paste it here</label>
            <textarea id="count-list" name="items" rows={6} data-testid="count-list-text">
              {p.list?.typed ?? ""}
            </textarea>
            <button type="submit" data-testid="count-import-button">
              Bring in
            </button>
          </form>
          {p.list && p.list.problems.length > 0 && (
            <ul data-testid="count-list-problems">
              {p.list.problems.map((x) => (
                <li data-testid="count-list-problem">
                  {x.line > 0 ? `Line ${x.line}: ` : ""}
                  {x.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </OfficePage>
  );
}
