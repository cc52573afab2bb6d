// The CSV import page under /catalog/import: for the catalog role and admins (the catalog mount gates the POST).

import { Hono } from "hono";
import { currencyDigits } from "../../../domain/kernel/money.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { readForm } from "../../../server/platform/http/form.ts";
import { render } from "../../../server/platform/http/render.ts";
import { CatalogImportPage } from "../../../views/hq/catalog-import.tsx";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { importCsvToDraft } from "./csv-import.ts";

/** The largest file taken: 50,000 rows of a spreadsheet fit well under it. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export function csvImportRoutes(deps: HqDeps) {
  const { sql } = deps;
  const digits = currencyDigits(deps.currency);
  const app = new Hono<HqEnv>();

  app.get("/", requireRole("catalog"), (c) => {
    const done = (c.req.query("done") ?? "").slice(0, 200);
    return render(c, <CatalogImportPage message={done ? `${done}; they are in the draft release.` : undefined} />);
  });
  app.post("/", async (c) => {
    const f = await readForm(c); // the form's text fields through the text gate, as every form
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) throw new Problem("invalid_input", "Choose a CSV file to import.");
    if (file.size > MAX_FILE_BYTES) throw new Problem("invalid_input", "The file is larger than 20 MB; split it and import the parts one after another.");
    const name = file.name.slice(0, 100);
    const r = await importCsvToDraft(sql, await file.text(), { digits, by: c.get("user")!.name, addCategories: f.add_categories === "on" });
    if (r.rejected.length > 0) return render(c, <CatalogImportPage rejected={r.rejected} fileName={name} />, 422);
    const parts = [
      `${r.added} new`,
      `${r.changed} changed`,
      ...(r.unchanged > 0 ? [`${r.unchanged} already so`] : []),
      ...(r.newCategories ? [`${r.newCategories} categories added to the list`] : []),
    ];
    return c.redirect(`/catalog/import?done=${encodeURIComponent(`${name}: ${parts.join(", ")}`)}`, 303);
  });
  return app;
}
