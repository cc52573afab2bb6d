// Products for managers (/products): the list with its search and filters, a product's page to add or edit it, and
// its stock movements. A save carries the version its page showed: a stale one is refused (409) naming what changed,
// a field head office sets is refused (403) when the store takes its catalog from head office; nothing is written then.
import type { Context } from "hono";
import { Hono } from "hono";
import { isValidGtin } from "../../domain/kernel/barcode.ts";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem, type ProblemCode } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { type ProductListFilter, ProductListPage, pageAfter } from "../../views/products/list.tsx";
import { ProductPage, type ProductPageProps } from "../../views/products/page.tsx";
import type { Shop } from "../compose.ts";
import { readHeadOfficeLink } from "../head-office/link.ts";
import { type PagesEnv, requireRole } from "../people/guard.ts";
import { formFieldProblem, readForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { HEAD_OFFICE_ADDS, type ProductsActor, productActions } from "./actions.ts";
import { productsCsvResponse } from "./export.ts";
import { MOVEMENTS_PER_PAGE, type ProductDetails, productRecords } from "./records.ts";
import {
  decodeSeen,
  encodeSeen,
  type FieldRefusal,
  fieldLabel,
  fieldSubject,
  HEAD_OFFICE_FIELDS,
  headOfficeSentence,
  isHeadOfficeField,
  PRODUCT_FIELDS,
  type ProductField,
  type ProductValues,
  readProductFields,
  sameValue,
  staleSentence,
  typedValues,
  valueInWords,
} from "./rules.ts";

type C = Context<PagesEnv>;
type Typed = Partial<Record<ProductField, string>>;
type Status = 200 | 403 | 409 | 422;

/** A new product's answers before anyone chose: sold by the unit, on sale, taken back. */
const NEW_PRODUCT: Typed = { weighed: "0", active: "1", returnable: "1" };

const isProductField = (name: string): name is ProductField => (PRODUCT_FIELDS as readonly string[]).includes(name);

/** A number in a URL or a form: a row's id, a version. */
function idOf(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,15}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

export function productRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const records = productRecords(shop.db);
  const products = productActions(shop);
  const digits = () => currencyDigits(shop.settings().currency);
  const linked = () => readHeadOfficeLink(shop.db) !== null;
  const who = (c: C): ProductsActor => {
    const user = c.get("user")!;
    return { userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null };
  };
  const found = (c: C): ProductDetails => {
    const id = idOf(c.req.param("id"));
    const product = id === null ? null : records.byId(id);
    if (!product) throw new Problem("product_not_found", "There is no such product; look it up in the product list.");
    return product;
  };

  // Every product with its stock, as CSV (streamed a page at a time); before /:id, which would take it for an id
  app.get("/export.csv", () => productsCsvResponse(shop.db, shop.settings().currency));

  // The list
  app.get("/", (c) => {
    const typed = c.req.query("q") ?? "";
    const filter: ProductListFilter = {
      q: typed.trim(),
      category: idOf(c.req.query("category")),
      low: c.req.query("low") === "1",
      show: ((s) => (s === "inactive" || s === "all" ? s : "active"))(c.req.query("show")),
    };
    const page = (found: { products: ProductListPageProps["products"]; next: number | null }, message?: string) =>
      render(
        c,
        <ProductListPage
          products={found.products}
          filter={filter}
          categories={records.categories()}
          next={found.next === null ? null : pageAfter(filter, found.next)}
          later={c.req.query("after") !== undefined}
          message={message}
          headOffice={linked()}
        />,
      );
    try {
      // the whole text through the gate; a barcode's digits (a valid check digit) are a code, not a card number
      const bad = textProblem(typed, "The search", { max: 100, cardLike: isValidGtin(typed) });
      if (bad) throw new Problem(bad.code, bad.message);
      // a barcode scanned or typed: straight to its product
      if (/^\d{8,14}$/.test(filter.q)) {
        const scanned = shop.catalog.byBarcode(filter.q);
        if (scanned) return c.redirect(`/products/${scanned.id}`, 303);
      }
      const after = c.req.query("after");
      if (after !== undefined && idOf(after) === null)
        throw new Problem("invalid_cursor", "That link to more products is broken; start again from the first page.");
      return page(records.list({ search: filter.q, categoryId: filter.category, lowStock: filter.low, show: filter.show }, idOf(after)));
    } catch (e) {
      // a refused search is not shown back when it looked like a card number or could not be kept as text
      if (e instanceof Problem && (e.code === "card_data_refused" || e.code === "unstorable_text" || e.code === "control_character")) filter.q = "";
      return again(e, (m) => page({ products: [], next: null }, m));
    }
  });

  // A product's page
  const context = (was: ProductValues | null) => ({ digits: digits(), taxClasses: records.taxClasses().map((t) => t.code), was });

  const draw = (c: C, product: ProductDetails | null, o: Partial<ProductPageProps> & { typed?: Typed }, status: Status = 200) => {
    const kept = product ? typedValues(product.values, digits()) : null;
    const values = Object.fromEntries(PRODUCT_FIELDS.map((f) => [f, o.typed?.[f] ?? kept?.[f] ?? NEW_PRODUCT[f] ?? ""])) as Record<ProductField, string>;
    const headOffice = linked() ? HEAD_OFFICE_FIELDS : null;
    // head office's fields always as they are: nothing typed for them is shown as if it could be kept
    if (headOffice && kept) for (const f of headOffice) values[f] = kept[f];
    const before = idOf(c.req.query("before"));
    const movements = product ? records.movements(product.id, before, MOVEMENTS_PER_PAGE + 1) : [];
    const older = movements.length > MOVEMENTS_PER_PAGE ? `/products/${product!.id}?before=${movements[MOVEMENTS_PER_PAGE - 1]!.id}` : null;
    return render(
      c,
      <ProductPage
        id={product?.id ?? null}
        name={product?.values.name ?? null}
        values={values}
        version={o.version !== undefined ? o.version : (product?.version ?? null)}
        seen={o.seen !== undefined ? o.seen : product ? encodeSeen(product.values) : null}
        refused={o.refused}
        message={o.message}
        saved={o.saved}
        headOffice={headOffice}
        currency={shop.settings().currency}
        taxClasses={records.taxClasses()}
        categories={records.categories().map((k) => k.name)}
        stock={product ? { onHandMilli: product.stockMilli, reservedMilli: shop.reservations.reserved(product.id), weighed: product.values.weighed } : null}
        movements={movements.slice(0, MOVEMENTS_PER_PAGE)}
        olderMovements={older}
      />,
      status,
    );
  };

  /** Fields refused: their sentences beside them; what was typed shown again, save what must never be. */
  const refusedPage = (c: C, product: ProductDetails | null, typed: Typed, refused: Partial<Record<ProductField, FieldRefusal | string>>, kept: Kept) => {
    const sentences: Partial<Record<ProductField, string>> = {};
    const shown: Typed = { ...typed };
    for (const [f, r] of Object.entries(refused) as [ProductField, FieldRefusal | string][]) {
      sentences[f] = typeof r === "string" ? r : r.message;
      if (typeof r !== "string" && r.hide) shown[f] = "";
    }
    const n = Object.keys(sentences).length;
    const message = {
      kind: "error" as const,
      text: `Not saved: ${n === 1 ? "one field needs" : `${n} fields need`} another look (shown below). Nothing was changed.`,
    };
    return draw(c, product, { typed: shown, refused: sentences, message, ...kept }, 422);
  };

  app.get("/new", (c) => {
    if (linked()) return draw(c, null, { message: { kind: "error", text: HEAD_OFFICE_ADDS } }, 403);
    return draw(c, null, {});
  });

  app.post("/", async (c) => {
    if (linked()) throw new Problem("forbidden", HEAD_OFFICE_ADDS);
    const { typed, gate } = await typedForm(c);
    // a new product's fields are all asked for: one left out is read as empty (and refused when it must say something)
    const given = Object.fromEntries(PRODUCT_FIELDS.map((f) => [f, typed[f] ?? NEW_PRODUCT[f] ?? ""])) as Typed;
    const { values, refused } = readProductFields(withoutGate(given, gate), context(null));
    if (Object.keys(gate).length + Object.keys(refused).length > 0) return refusedPage(c, null, typed, { ...refused, ...gate }, {});
    const done = products.create(who(c), values as ProductValues);
    if ("refused" in done) return refusedPage(c, null, typed, done.refused, {});
    return c.redirect(`/products/${done.created.id}?added=1`, 303);
  });

  app.get("/:id", (c) => {
    const product = found(c);
    const added = c.req.query("added") === "1";
    return draw(c, product, added ? { message: { kind: "info", text: `${product.values.name} is added.` } } : {});
  });

  app.post("/:id", async (c) => {
    const product = found(c);
    const { typed, gate } = await typedForm(c);
    const version = idOf(typed.version);
    if (version === null) throw new Problem("bad_form", "The form came without the version of the product it showed; reload the page and save again.");
    const seen = decodeSeen(typed.seen);
    const kept: Kept = { version, seen: typed.seen ?? null };
    const fields = Object.fromEntries(PRODUCT_FIELDS.flatMap((f) => (typed[f] === undefined ? [] : [[f, typed[f]]]))) as Typed;
    const { values, refused } = readProductFields(withoutGate(fields, gate), context(product.values));
    const wrong = { ...refused, ...gate };
    // a field head office sets is refused as such, whatever was sent in it
    const theirs = linked() ? (Object.keys(wrong) as ProductField[]).filter(isHeadOfficeField) : [];
    if (theirs.length > 0) return headOfficePage(c, product, typed, theirs, kept);
    if (Object.keys(wrong).length > 0) return refusedPage(c, product, fields, wrong, kept);

    const done = products.update(who(c), product.id, version, seen, values);
    if ("refused" in done) return refusedPage(c, product, fields, done.refused, kept);
    if ("headOffice" in done) return headOfficePage(c, product, typed, done.headOffice, kept);
    if ("stale" in done) {
      const { now, changed } = done.stale;
      // what this person changed (and nobody else) stays as they typed it; the rest shows as it is now
      const theirChanges = seen
        ? (Object.keys(values) as ProductField[]).filter((f) => !changed.includes(f) && !sameValue(f, { ...seen, ...values }, seen))
        : [];
      const message = { kind: "error" as const, text: staleSentence(changed, now.values, digits()) };
      return draw(c, now, { typed: pick(fields, theirChanges), message }, 409);
    }
    const saved = done.changes.map((f) => ({
      label: fieldLabel[f],
      from: valueInWords(f, done.before.values, digits()),
      to: valueInWords(f, done.saved.values, digits()),
    }));
    return draw(c, done.saved, { saved });
  });

  /** Head office's fields refused: the page as the product is, with the person's own fields as they typed them. */
  const headOfficePage = (c: C, product: ProductDetails, typed: Typed, fields: ProductField[], kept: Kept) => {
    const local = PRODUCT_FIELDS.filter((f) => !isHeadOfficeField(f));
    return draw(c, product, { typed: pick(typed, local), message: { kind: "error", text: headOfficeSentence(fields) }, ...kept }, 403);
  };

  return app;
}

type ProductListPageProps = Parameters<typeof ProductListPage>[0];

/** The version and what the page showed, kept as the form sent them when it is drawn again after a refusal. */
type Kept = { version?: number; seen?: string | null };

/** The text-gate refusals a field's own sentence says again; anything else the gate refuses stays an error. */
const GATE: ReadonlySet<ProblemCode> = new Set(["text_too_long", "control_character", "unstorable_text", "card_data_refused"]);
const HIDDEN: ReadonlySet<ProblemCode> = new Set(["card_data_refused", "control_character", "unstorable_text"]);

/**
 * The form through the text gate. A product field the gate refuses is refused beside it, with the others read as
 * typed; anything else refused (a field sent twice, the version, what the page showed) stays refused.
 */
async function typedForm(c: C): Promise<{ typed: Record<string, string>; gate: Partial<Record<ProductField, FieldRefusal>> }> {
  try {
    return { typed: await readForm(c), gate: {} };
  } catch (e) {
    const field = e instanceof Problem && GATE.has(e.code) ? (e.details as { field?: string } | undefined)?.field : undefined;
    if (field === undefined || !isProductField(field)) throw e;
    const body = await c.req.parseBody();
    const typed: Record<string, string> = {};
    const gate: Partial<Record<ProductField, FieldRefusal>> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== "string") continue;
      const problem = formFieldProblem(k, v, isProductField(k) ? fieldSubject(k) : undefined);
      if (problem && !isProductField(k)) throw new Problem(problem.code, problem.message, { field: k.slice(0, 100) });
      if (problem && isProductField(k)) gate[k] = { message: problem.message, hide: HIDDEN.has(problem.code) };
      // shown again to be put right (too long, say), save what must never be shown
      if (!problem || !HIDDEN.has(problem.code)) typed[k] = v;
    }
    return { typed, gate };
  }
}

/** The fields the gate did not refuse (those it did are not read again by their rules). */
function withoutGate(typed: Typed, gate: Partial<Record<ProductField, FieldRefusal>>): Typed {
  return Object.fromEntries(Object.entries(typed).filter(([f]) => !(f in gate))) as Typed;
}

/** Those of `fields` that `from` has. */
function pick(from: Readonly<Record<string, string | undefined>>, fields: readonly ProductField[]): Typed {
  return Object.fromEntries(fields.flatMap((f) => (from[f] === undefined ? [] : [[f, from[f]]])));
}
