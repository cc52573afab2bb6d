// A product's fields as a manager types them and as they are kept: one rule per field with the sentence the page shows
// beside it, the checks between fields, and the words a change is told in. Checks that need the database (a SKU or a
// barcode another product has) are the actions'.
import { z } from "zod";
import { gtinCheckDigit, isValidGtin } from "../../domain/kernel/barcode.ts";
import { looksLikeCardNumber } from "../../domain/kernel/card-data.ts";
import { minorToDecimal, parseDecimalToMinor } from "../../domain/kernel/money.ts";
import { type TextProblemCode, textProblem } from "../../domain/kernel/text.ts";
import { MAX_UNIT_PRICE } from "../../domain/sale/sale.ts";
import type { ProductField } from "../../views/products/page.tsx";

/** The product form's fields, in the page's order. */
export const PRODUCT_FIELDS = [
  "name",
  "sku",
  "barcode",
  "barcodes",
  "price",
  "tax_class",
  "category",
  "weighed",
  "active",
  "cost",
  "reorder_point",
  "reorder_level",
  "location",
  "returnable",
] as const satisfies readonly ProductField[];

export type { ProductField };

/** A product's details as kept, by the form's field names: money in minor units, quantities in thousandths. */
export type ProductValues = {
  name: string;
  sku: string;
  barcode: string | null;
  /** The other barcodes a scan finds it by, in order. */
  barcodes: string[];
  price: number;
  tax_class: string;
  category: string | null;
  weighed: boolean;
  active: boolean;
  cost: number | null;
  reorder_point: number | null;
  reorder_level: number | null;
  location: string | null;
  returnable: boolean;
};

/**
 * What head office sets when the store takes its catalog from it: what a catalog release writes (sync/contracts.ts),
 * so a change made here would be undone by the next release. The rest is the store's own.
 */
export const HEAD_OFFICE_FIELDS: readonly ProductField[] = ["name", "sku", "barcode", "barcodes", "price", "tax_class", "category", "weighed", "active"];

export const isHeadOfficeField = (f: ProductField): boolean => HEAD_OFFICE_FIELDS.includes(f);

/** What the rules need to know: the currency's decimals, the store's tax classes, and the product as it is (none: new). */
export type ProductContext = { digits: number; taxClasses: readonly string[]; was: ProductValues | null };

/** A field's sentence; `hide`: what was typed is not shown again (a card number, a character that cannot be kept). */
export type FieldRefusal = { message: string; hide: boolean };

type Outcome<F extends ProductField> = { value: ProductValues[F] } | FieldRefusal;
type Rule<F extends ProductField> = (typed: string, ctx: ProductContext) => Outcome<F>;

export const MAX_NAME = 200;
export const MAX_SKU = 64;
export const MAX_CATEGORY = 100;
export const MAX_LOCATION = 40;
export const MAX_OTHER_BARCODES = 20;
/** A million units (or kg) in thousandths: more than any shelf holds. */
export const MAX_STOCK_MILLI = 1_000_000_000;

const refuse = (message: string, hide = false): FieldRefusal => ({ message, hide });
const HIDDEN: ReadonlySet<TextProblemCode> = new Set(["card_data_refused", "control_character", "unstorable_text"]);

/** One line of text through the gate, spaces run together; `what` names it in the sentence. */
function oneLine(typed: string, what: string, max: number, cardLike = false): { value: string } | FieldRefusal {
  const value = typed.replace(/\s+/g, " ").trim();
  const problem = textProblem(value, what, { max, cardLike });
  return problem ? refuse(problem.message, HIDDEN.has(problem.code)) : { value };
}

/** An amount in the store's currency, as typed ("12.50"); `what` is "The price" or "The cost". */
function amount(typed: string, what: string, digits: number): { value: number } | FieldRefusal {
  const text = typed.trim();
  const minor = parseDecimalToMinor(text, digits);
  const example = digits === 0 ? "1250" : `12.${"50".padEnd(digits, "0").slice(0, digits)}`;
  if (minor === null) {
    const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
    return refuse(`${what} “${shown}” is not an amount like ${example} (at most ${digits} decimals, no currency sign).`);
  }
  if (minor < 0) return refuse(`${what} cannot be below zero.`);
  if (minor > MAX_UNIT_PRICE) return refuse(`${what} is more than the register takes (at most ${minorToDecimal(MAX_UNIT_PRICE, digits)}).`);
  return { value: minor };
}

/** A quantity of stock as typed ("6", "2.5"): thousandths, or none when empty. */
function stockLevel(typed: string, what: string): { value: number | null } | FieldRefusal {
  const text = typed.trim();
  if (text === "") return { value: null };
  const milli = parseDecimalToMinor(text, 3);
  if (milli === null) return refuse(`${what} is a quantity like 6 or 2.5 (at most 3 decimals), or empty for none.`);
  if (milli < 0) return refuse(`${what} cannot be below zero.`);
  if (milli > MAX_STOCK_MILLI) return refuse(`${what} is more than any shelf holds; check it.`);
  return { value: milli };
}

/** One of two answers, sent as "1" or "0" by the page's radio buttons. */
const yesNo =
  (message: string) =>
  (typed: string): { value: boolean } | FieldRefusal =>
    typed === "1" ? { value: true } : typed === "0" ? { value: false } : refuse(message);

/** A barcode as typed: spaces taken out; digits only, 8, 12, 13 or 14 of them, with the right check digit. */
export function readBarcode(typed: string, what = "The barcode"): { value: string } | FieldRefusal {
  const code = typed.replace(/\s+/g, "");
  // a card number typed here (digits pass the gate as a code) is never spelled back nor shown again
  const cardLike = looksLikeCardNumber(code);
  const spelled = cardLike ? "" : ` ${code.length > 20 ? `${code.slice(0, 20)}…` : code}`;
  if (/^\d+([.,]\d+)?e\+?\d+$/i.test(code)) return refuse(`${what}${spelled} was shortened by a spreadsheet; type all its digits.`);
  if (!/^\d+$/.test(code)) return refuse(`${what}${spelled} has other characters than digits; a barcode is digits only.`, cardLike);
  if (![8, 12, 13, 14].includes(code.length)) {
    return refuse(`${what}${spelled} has ${code.length} digits; a barcode has 8, 12, 13 or 14.`, cardLike);
  }
  if (!isValidGtin(code)) {
    return refuse(`${what}${spelled} has a wrong check digit (the last digit should be ${gtinCheckDigit(code.slice(0, -1))}); check it for a typo.`, cardLike);
  }
  return { value: code };
}

const rules: { [F in ProductField]: Rule<F> } = {
  name: (typed) => {
    if (typed.trim() === "") return refuse("The name is empty; type the name the register and the receipts show.");
    return oneLine(typed, "The name", MAX_NAME);
  },
  sku: (typed, ctx) => {
    const sku = typed.trim();
    // a SKU kept before these rules (an import) is taken as it is while it stays the same
    if (ctx.was && sku === ctx.was.sku) return { value: sku };
    if (sku === "") return refuse("The SKU is empty; type the product's code, such as MILK-1L.");
    if (sku.length > MAX_SKU || /\s/.test(sku)) return refuse(`A SKU is 1 to ${MAX_SKU} characters without spaces, such as MILK-1L.`);
    return oneLine(sku, "The SKU", MAX_SKU, true);
  },
  barcode: (typed) => (typed.trim() === "" ? { value: null } : readBarcode(typed)),
  barcodes: (typed) => {
    const codes: string[] = [];
    for (const line of typed.split(/[\r\n,;]+/)) {
      if (line.trim() === "") continue;
      const read = readBarcode(line, "The other barcode");
      if (!("value" in read)) return read;
      if (!codes.includes(read.value)) codes.push(read.value);
    }
    if (codes.length > MAX_OTHER_BARCODES) return refuse(`A product has at most ${MAX_OTHER_BARCODES} other barcodes; keep those still on the goods.`);
    return { value: codes };
  },
  price: (typed, ctx) =>
    typed.trim() === "" ? refuse("The price is empty; type it like 12.50 (0 when the register asks for it).") : amount(typed, "The price", ctx.digits),
  tax_class: (typed, ctx) => {
    const code = typed.trim();
    if (ctx.taxClasses.includes(code)) return { value: code };
    return refuse(ctx.taxClasses.length > 0 ? "Choose a tax class from the list." : "There are no tax classes yet; they come with the first catalog import.");
  },
  category: (typed) => {
    const read = oneLine(typed, "The category", MAX_CATEGORY);
    return "value" in read ? { value: read.value === "" ? null : read.value } : read;
  },
  weighed: yesNo("Say whether it is sold by the unit or by weight."),
  active: yesNo("Say whether it is on sale."),
  returnable: yesNo("Say whether the shop takes it back."),
  cost: (typed, ctx) => (typed.trim() === "" ? { value: null } : amount(typed, "The cost", ctx.digits)),
  reorder_point: (typed) => stockLevel(typed, "The reorder point"),
  reorder_level: (typed) => stockLevel(typed, "The reorder level"),
  location: (typed) => {
    const read = oneLine(typed, "The location", MAX_LOCATION);
    return "value" in read ? { value: read.value === "" ? null : read.value } : read;
  },
};

/** The fields given, each read by its rule: the kept values of those it takes, and each refused field's sentence. */
export function readProductFields(
  typed: Partial<Record<ProductField, string>>,
  ctx: ProductContext,
): { values: Partial<ProductValues>; refused: Partial<Record<ProductField, FieldRefusal>> } {
  const values: Record<string, unknown> = {};
  const refused: Partial<Record<ProductField, FieldRefusal>> = {};
  for (const field of PRODUCT_FIELDS) {
    const text = typed[field];
    if (text === undefined) continue;
    const read = (rules[field] as Rule<ProductField>)(text, ctx);
    if ("value" in read) values[field] = read.value;
    else refused[field] = read;
  }
  return { values: values as Partial<ProductValues>, refused };
}

/** The checks between fields of a whole product: whole units for what is sold by the unit, a reorder level over its point. */
export function checkTogether(v: ProductValues): Partial<Record<ProductField, string>> {
  const refused: Partial<Record<ProductField, string>> = {};
  const whole = (f: "reorder_point" | "reorder_level", what: string) => {
    const milli = v[f];
    if (!v.weighed && milli !== null && milli % 1000 !== 0) {
      refused[f] = `${what} of a product sold by the unit is a whole number, such as 6; say it is sold by weight if it is.`;
    }
  };
  whole("reorder_point", "The reorder point");
  whole("reorder_level", "The reorder level");
  if (v.reorder_point !== null && v.reorder_level !== null && v.reorder_level < v.reorder_point && !refused.reorder_level) {
    refused.reorder_level = `The reorder level (what an order fills the shelf up to) is at least the reorder point (${quantityText(v.reorder_point)}).`;
  }
  return refused;
}

/** Thousandths as a person types a quantity: 6000 → "6", 2500 → "2.5". */
export function quantityText(milli: number): string {
  return minorToDecimal(milli, 3).replace(/\.?0+$/, "");
}

/** The kept values as the form shows them. */
export function typedValues(v: ProductValues, digits: number): Record<ProductField, string> {
  const money = (m: number | null) => (m === null ? "" : minorToDecimal(m, digits));
  const qty = (m: number | null) => (m === null ? "" : quantityText(m));
  const flag = (b: boolean) => (b ? "1" : "0");
  return {
    name: v.name,
    sku: v.sku,
    barcode: v.barcode ?? "",
    barcodes: v.barcodes.join("\n"),
    price: money(v.price),
    tax_class: v.tax_class,
    category: v.category ?? "",
    weighed: flag(v.weighed),
    active: flag(v.active),
    cost: money(v.cost),
    reorder_point: qty(v.reorder_point),
    reorder_level: qty(v.reorder_level),
    location: v.location ?? "",
    returnable: flag(v.returnable),
  };
}

/** Whether a field holds the same in two products. */
export function sameValue<F extends ProductField>(f: F, a: ProductValues, b: ProductValues): boolean {
  const x = a[f];
  const y = b[f];
  return Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((c, i) => c === y[i]) : x === y;
}

/** The fields that differ between two products, in the page's order. */
export const differences = (a: ProductValues, b: ProductValues): ProductField[] => PRODUCT_FIELDS.filter((f) => !sameValue(f, a, b));

/** A field as a label says it. */
export const fieldLabel: Record<ProductField, string> = {
  name: "Name",
  sku: "SKU",
  barcode: "Barcode",
  barcodes: "Other barcodes",
  price: "Price",
  tax_class: "Tax class",
  category: "Category",
  weighed: "Sold by",
  active: "On sale",
  cost: "Cost",
  reorder_point: "Reorder point",
  reorder_level: "Reorder level",
  location: "Location",
  returnable: "Taken back",
};

/** A field as a sentence says it. */
const fieldSaid: Record<ProductField, string> = {
  name: "the name",
  sku: "the SKU",
  barcode: "the barcode",
  barcodes: "the other barcodes",
  price: "the price",
  tax_class: "the tax class",
  category: "the category",
  weighed: "how it is sold",
  active: "whether it is on sale",
  cost: "the cost",
  reorder_point: "the reorder point",
  reorder_level: "the reorder level",
  location: "the location",
  returnable: "whether the shop takes it back",
};

/** A field as the text gate's sentence begins with it ("… looks like a card number"): "The price", "One of the other barcodes". */
export const fieldSubject = (f: ProductField): string =>
  f === "barcodes" ? "One of the other barcodes" : fieldSaid[f].charAt(0).toUpperCase() + fieldSaid[f].slice(1);

/** A field's kept value in words: "2.49", "by weight", "none". */
export function valueInWords(f: ProductField, v: ProductValues, digits: number): string {
  switch (f) {
    case "price":
      return minorToDecimal(v.price, digits);
    case "cost":
      return v.cost === null ? "none" : minorToDecimal(v.cost, digits);
    case "reorder_point":
    case "reorder_level": {
      const milli = v[f];
      return milli === null ? "none" : quantityText(milli);
    }
    case "weighed":
      return v.weighed ? "by weight" : "by the unit";
    case "active":
      return v.active ? "on sale" : "not on sale";
    case "returnable":
      return v.returnable ? "taken back" : "not taken back";
    case "barcodes":
      return v.barcodes.length === 0 ? "none" : v.barcodes.join(", ");
    case "barcode":
    case "category":
    case "location":
      return v[f] ?? "none";
    case "name":
      return `“${v.name}”`;
    case "sku":
    case "tax_class":
      return v[f];
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** "a, b and c". */
function listed(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Fields whose new value would make the sentence long: named only (the page shows them as they are now). */
const NAMED_ONLY: ReadonlySet<ProductField> = new Set(["name", "barcodes"]);

/**
 * A stale save refused: what someone else changed since the person's page was drawn, said in one sentence — "Someone
 * changed the price (now 2.49) and the name since you opened this page; look again and save."
 */
export function staleSentence(changed: readonly ProductField[], now: ProductValues, digits: number): string {
  if (changed.length === 0) return "Someone saved this product since you opened this page; look again and save.";
  // those told with their new value first, then those only named
  const told = [...changed.filter((f) => !NAMED_ONLY.has(f)), ...changed.filter((f) => NAMED_ONLY.has(f))];
  const parts = told.map((f) => (NAMED_ONLY.has(f) ? fieldSaid[f] : `${fieldSaid[f]} (now ${valueInWords(f, now, digits)})`));
  return `Someone changed ${listed(parts)} since you opened this page; look again and save.`;
}

/** Head office's fields a save tried to change, refused: "Head office sets the price and the name; change them there." */
export function headOfficeSentence(fields: readonly ProductField[]): string {
  const them = fields.length === 1 ? "it" : "them";
  return `Head office sets ${listed(fields.map((f) => fieldSaid[f]))} in this store; change ${them} there. Nothing was saved.`;
}

// What a page showed, sent back with its form (`seen`) so a refused save can say what changed meanwhile. Only ever
// compared, never kept; one opaque field, so that its barcodes are not read as a long number by the text gate.
const seenSchema = z.object({
  name: z.string(),
  sku: z.string(),
  barcode: z.string().nullable(),
  barcodes: z.array(z.string()),
  price: z.number(),
  tax_class: z.string(),
  category: z.string().nullable(),
  weighed: z.boolean(),
  active: z.boolean(),
  cost: z.number().nullable(),
  reorder_point: z.number().nullable(),
  reorder_level: z.number().nullable(),
  location: z.string().nullable(),
  returnable: z.boolean(),
});

export const encodeSeen = (v: ProductValues): string => Buffer.from(JSON.stringify(v)).toString("base64url");

/** What the page showed; null when the field is missing or not one of ours. */
export function decodeSeen(text: string | undefined): ProductValues | null {
  if (!text || text.length > 20_000 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const r = seenSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
