// Importing a CSV file of products into the draft release: the form, and every bad row with its line when the file is
// refused (then nothing went into the draft).
import { Csrf } from "../ui/card.tsx";
import { DRAFT_RELEASE, Heading } from "./heading.tsx";
import { HqPage } from "./layout.tsx";

export type ImportRefusal = { line: number; reason: string };

export function CatalogImportPage(props: { rejected?: ImportRefusal[]; fileName?: string; message?: string }) {
  const rejected = props.rejected ?? [];
  return (
    <HqPage title="Import products" active="catalog" message={props.message}>
      <Heading title="Import products from a CSV file" links={[{ href: "/catalog", label: "Catalog" }, DRAFT_RELEASE]} />
      <p>
        The first line names the columns: <code>sku, name, price, tax class</code> and, if you like, <code>barcode, category, unit/weighed, active</code>. A
        product already in the catalog keeps the values of the columns left out. The products go into the draft release; nothing reaches the stores until it is
        published.
      </p>
      <p>Every row must be right: when one is not, the file is refused whole and each bad row is listed with its line.</p>
      {rejected.length > 0 && (
        <div class="message error" role="alert" data-testid="import-refused">
          <p>
            {props.fileName ? `${props.fileName}: ` : ""}
            {rejected.length} {rejected.length === 1 ? "row needs" : "rows need"} another look; nothing went into the draft.
          </p>
          <table class="grid" data-testid="import-problems">
            <thead>
              <tr>
                <th class="num">Line</th>
                <th>What is wrong</th>
              </tr>
            </thead>
            <tbody>
              {rejected.slice(0, 500).map((r) => (
                <tr data-line={r.line}>
                  <td class="num">{r.line}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rejected.length > 500 && <p>… and {rejected.length - 500} more rows.</p>}
        </div>
      )}
      <form method="post" action="/catalog/import" enctype="multipart/form-data" class="stack narrow" data-testid="import-form">
        <Csrf />
        <label class="field" for="f-file">
          <span>CSV file (comma, semicolon or tab separated)</span>
          <input id="f-file" type="file" name="file" accept=".csv,text/csv,text/plain" required data-testid="import-file" />
        </label>
        <label class="check">
          <input type="checkbox" name="add_categories" data-testid="add-categories" /> Add the categories the file names that the category list lacks (starting
          head office's catalog from a store's: its Products → Export file)
        </label>
        <div class="actions">
          <button type="submit" class="primary" data-testid="import-submit">
            Check and put into the draft
          </button>
        </div>
      </form>
    </HqPage>
  );
}
