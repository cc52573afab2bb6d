// Adding and changing a product for the API: the back office's own actions (products/actions.ts) with their rules,
// audit rows and versions, each refusal turned into the Problem a program is told — the fields and their sentences
// (422), a field head office sets (403, the back office's sentence), a version someone saved over (409, naming what
// changed since and the product as it is now).
import type { Database } from "bun:sqlite";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Shop } from "../compose.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import { HEAD_OFFICE_ADDS, type ProductsActor, productActions } from "../products/actions.ts";
import { type ProductDetails, productRecords } from "../products/records.ts";
import { fieldLabel, headOfficeSentence, isHeadOfficeField, PRODUCT_FIELDS, type ProductField, type ProductValues, valueInWords } from "../products/rules.ts";
import { fieldErrors, type ProductInput, productDetailJson, readProductInput } from "./products-input.ts";
import type { TokenHolder } from "./tokens.ts";

/** The audit log names the token; an API token is no user of the store and stands at no register. */
export const tokenActor = (holder: TokenHolder): ProductsActor => ({ userId: null, userName: `API token ${holder.name}`, registerName: null });

function refusedFields(refused: Parameters<typeof fieldErrors>[0]): never {
  const fields = fieldErrors(refused);
  const first = fields[0]!;
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more: see details.fields)` : "";
  throw new Problem("invalid_product", `${first.field}: ${first.message}${more} Nothing was saved.`, { fields });
}

/** The fields of a product changed since `version`, as its audit rows tell them (the back office's and the API's saves). */
function changedSince(db: Database, id: number, version: number, now: number): ProductField[] {
  if (now <= version) return [];
  const rows = db
    .query<{ detail: string }, [number, number, number]>(
      `SELECT detail FROM audit_log WHERE action = 'product.changed' AND json_extract(detail, '$.product_id') = ?
         AND json_extract(detail, '$.version') > ? ORDER BY id DESC LIMIT ?`,
    )
    .all(id, version, now - version);
  const changed = new Set<string>();
  for (const r of rows) for (const f of Object.keys((JSON.parse(r.detail) as { changes?: object }).changes ?? {})) changed.add(f);
  return PRODUCT_FIELDS.filter((f) => changed.has(f));
}

export function productSaver(store: Shop) {
  const records = productRecords(store.db);
  const products = productActions(store);
  const digits = () => currencyDigits(store.settings().currency);
  const linked = () => readHeadOfficeLink(store.db) !== null;
  const context = (was: ProductValues | null) => ({ digits: digits(), taxClasses: records.taxClasses().map((t) => t.code), was });
  const json = (p: ProductDetails) => productDetailJson(p, store.catalog.byId(p.id)?.rateBp ?? null);

  /** Someone saved the product since `version`: what they changed, in words, and the product as it is now. */
  function stale(now: ProductDetails, version: number): never {
    const changed = changedSince(store.db, now.id, version, now.version);
    const told = changed.map((f) => (f === "name" || f === "barcodes" ? fieldLabel[f] : `${fieldLabel[f]} (now ${valueInWords(f, now.values, digits())})`));
    const what = told.length > 0 ? `: ${told.join(", ")}` : "";
    throw new Problem(
      "product_changed",
      `Product ${now.id} was changed since version ${version}${what}. Read it again (version ${now.version}) and send your change with that version.`,
      { version: now.version, changed, product: json(now) },
    );
  }

  return {
    records,
    json,

    /** A new product; its fields left out are a new product page's (by the unit, on sale, taken back, the rest empty). */
    create(who: ProductsActor, input: ProductInput): ProductDetails {
      if (linked()) throw new Problem("forbidden", HEAD_OFFICE_ADDS);
      const { values, refused } = readProductInput(input, context(null), true);
      if (Object.keys(refused).length > 0) refusedFields(refused);
      const done = products.create(who, values as ProductValues);
      if ("refused" in done) refusedFields(done.refused);
      return done.created;
    },

    /**
     * The fields sent saved over the product at `version` (`whole`: every field, those left out read as empty). A
     * field head office sets is refused as such, whatever was sent in it, as the product page does.
     */
    update(who: ProductsActor, before: ProductDetails, version: number, input: ProductInput, whole: boolean): ProductDetails {
      const { values, refused } = readProductInput(input, context(before.values), whole);
      const theirs = linked() ? (Object.keys(refused) as ProductField[]).filter(isHeadOfficeField) : [];
      if (theirs.length > 0) throw new Problem("forbidden", headOfficeSentence(theirs), { fields: theirs });
      if (Object.keys(refused).length > 0) refusedFields(refused);
      const done = products.update(who, before.id, version, null, values);
      if ("refused" in done) refusedFields(done.refused);
      if ("headOffice" in done) throw new Problem("forbidden", headOfficeSentence(done.headOffice), { fields: done.headOffice });
      if ("stale" in done) stale(done.stale.now, version);
      return done.saved;
    },

    /** The product with this id in a URL, or a 404. */
    found(raw: string): ProductDetails {
      const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
      const p = Number.isSafeInteger(id) ? records.byId(id) : null;
      if (!p) throw new Problem("product_not_found", `No product has the id ${raw.slice(0, 32)}.`);
      return p;
    },
  };
}

export type ProductSaver = ReturnType<typeof productSaver>;
