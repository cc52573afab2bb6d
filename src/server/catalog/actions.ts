// One product added by hand (a new store's first product, without a spreadsheet): checked by the CSV import's own row
// rules and written by its writer, in one transaction with an audit row. A refusal writes nothing and says, field by
// field, what to put right.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type AuditLog, recordSetUp, type SetUpActor } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import type { StoreSettings } from "../settings/settings.ts";
import { checkProduct, type ProductProblem, productChecks, writeProducts } from "./import.ts";
import { catalogQueries, type Product } from "./queries.ts";

/** A product as typed on the form; the price in the store's currency ("2.49"), the category optional. */
export type TypedProduct = { sku: string; barcode: string; name: string; price: string; taxClass: string; category: string; weighed: boolean };

export type CatalogActionDeps = { db: Database; clock: Clock; audit: AuditLog; settings: () => StoreSettings };

/** Why a product was refused: every field's sentence (`details.problems`), the first one as the message. */
function refused(problems: ProductProblem[]): never {
  const first = problems[0]!;
  throw new Problem(first.code ?? "invalid_input", first.message, { field: first.column, problems });
}

export function catalogActions(deps: CatalogActionDeps) {
  const { db, clock } = deps;
  const tx = inOneTransaction(db);
  const record = recordSetUp(deps.audit, clock);
  const catalog = catalogQueries(db);
  // a barcode is held as a product's main one or as one of its others (product_barcodes): either way it is taken
  const holder = db.query<{ sku: string; name: string }, [string]>(
    `SELECT sku, name FROM products WHERE barcode = ?1
     UNION ALL SELECT p.sku, p.name FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?1 LIMIT 1`,
  );

  return {
    /** Add one new product; a SKU or barcode another product has is refused (the CSV import is the way to change one). */
    addProduct: tx((who: SetUpActor, typed: TypedProduct): Product => {
      if (readHeadOfficeLink(db)) {
        throw new Problem("forbidden", "This store takes its catalog from head office: products are added there, and come down with its next release.");
      }
      // a form has no delimiter: a decimal comma is as good as a point
      const checks = productChecks(db, { delimiter: "\t", currencyDigits: currencyDigits(deps.settings().currency) });
      const checked = checkProduct(
        {
          sku: typed.sku,
          barcode: typed.barcode,
          name: typed.name,
          price: typed.price,
          taxClass: typed.taxClass,
          category: typed.category,
          weighed: typed.weighed ? "weighed" : "unit",
        },
        checks,
      );
      if (Array.isArray(checked)) refused(checked);
      const problems: ProductProblem[] = [];
      const same = catalog.bySku(checked.sku);
      if (same) problems.push({ column: "sku", message: `SKU ${checked.sku} is already in the catalog (${same.name}); choose another SKU.` });
      const held = checked.barcode ? holder.get(checked.barcode) : null;
      if (held) {
        problems.push({ column: "barcode", message: `Barcode ${checked.barcode} already belongs to SKU ${held.sku} (${held.name}); check the number.` });
      }
      if (problems.length > 0) refused(problems);
      writeProducts(db, [checked], clock.now().toISOString());
      const product = catalog.bySku(checked.sku)!;
      record(who, "product.added", product.sku, {
        name: product.name,
        barcode: product.barcode,
        price: product.price,
        tax_class: product.taxClass,
        category: product.category,
        weighed: product.weighed,
      });
      return product;
    }),
  };
}

export type CatalogActions = ReturnType<typeof catalogActions>;
