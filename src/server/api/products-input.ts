// A product as a program sends it, read by the back office's own rules (products/rules.ts): each JSON value is turned
// into what a manager would have typed in its field, so a price, a barcode or a reorder level is refused by the API
// with the very sentence the product page shows beside the field. Also a product as the API shows it.
import { z } from "zod";
import { minorToDecimal } from "../../domain/kernel/money.ts";
import type { ProductDetails } from "../products/records.ts";
import { type FieldRefusal, PRODUCT_FIELDS, type ProductContext, type ProductField, type ProductValues, readProductFields } from "../products/rules.ts";

/** Money is in minor units, as everywhere in the API. */
const minor = (what: string) => z.number().int(`${what} is in minor units (cents): a whole number`);
/** Quantities are numbers of units (kg for what is sold by weight), as in sales. */
const quantity = z.number().finite();
/** Long enough for the rules to say what is too long; the body limit bounds the rest. */
const text = z.string().max(10_000);

/** A product's fields; each may be left out (an update changes only those it sends). */
export const productFields = {
  name: text,
  sku: text,
  barcode: text.nullable(),
  barcodes: z.array(text).max(100),
  price: minor("price"),
  tax_class: text,
  category: text.nullable(),
  weighed: z.boolean(),
  active: z.boolean(),
  cost: minor("cost").nullable(),
  reorder_point: quantity.nullable(),
  reorder_level: quantity.nullable(),
  location: text.nullable(),
  returnable: z.boolean(),
} as const;

export const productInput = z.strictObject(z.object(productFields).partial().shape);
export type ProductInput = z.infer<typeof productInput>;

/** A new product's answers when a program leaves them out: sold by the unit, on sale, taken back (as the page's). */
const NEW_PRODUCT: Partial<Record<ProductField, string>> = { weighed: "0", active: "1", returnable: "1" };

/** A field's JSON value as the product page's field would hold it. */
function typedOf(f: ProductField, v: unknown, digits: number): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (Array.isArray(v)) return v.join("\n");
  if (typeof v === "number") return f === "price" || f === "cost" ? minorToDecimal(v, digits) : String(v);
  return String(v);
}

/** One refused field, as the API names it. */
export type FieldError = { field: string; message: string };

/**
 * The fields sent, read by the product page's rules. `whole`: a product made new (or replaced whole), whose fields
 * left out are read as a new product's page has them (empty, and refused where they must say something).
 */
export function readProductInput(
  input: ProductInput,
  ctx: ProductContext,
  whole: boolean,
): { values: Partial<ProductValues>; refused: Partial<Record<ProductField, FieldRefusal>> } {
  const typed: Partial<Record<ProductField, string>> = {};
  for (const f of PRODUCT_FIELDS) {
    const v = input[f];
    if (v !== undefined) typed[f] = typedOf(f, v, ctx.digits);
    else if (whole) typed[f] = NEW_PRODUCT[f] ?? "";
  }
  return readProductFields(typed, ctx);
}

/** Refusals in the page's order, as the API lists them. */
export const fieldErrors = (refused: Partial<Record<ProductField, FieldRefusal | string>>): FieldError[] =>
  PRODUCT_FIELDS.flatMap((f) => {
    const r = refused[f];
    return r === undefined ? [] : [{ field: f, message: typeof r === "string" ? r : r.message }];
  });

const units = (milli: number | null) => (milli === null ? null : milli / 1000);

/** A product with all its details, as the API answers a write and a read of one product. */
export function productDetailJson(p: ProductDetails, rateBp: number | null) {
  const v = p.values;
  return {
    id: p.id,
    sku: v.sku,
    barcode: v.barcode,
    barcodes: v.barcodes,
    name: v.name,
    price: v.price,
    tax_class: v.tax_class,
    tax_rate_bp: rateBp,
    category: v.category,
    stock: p.stockMilli / 1000,
    weighed: v.weighed,
    active: v.active,
    cost: v.cost,
    reorder_point: units(v.reorder_point),
    reorder_level: units(v.reorder_level),
    location: v.location,
    returnable: v.returnable,
    version: p.version,
    updated_at: p.updatedAt,
  };
}
