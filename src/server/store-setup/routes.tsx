// Setting up a new store (/store-setup), for managers: the checklist from nothing to the first sale, the currency
// chosen before it, and one product added by hand. A manager signing in to a store with no products lands here.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { FirstProductPage, type FirstProductProps, type ProductField, SetUpPage } from "../../views/store-setup/page.tsx";
import { catalogActions } from "../catalog/actions.ts";
import type { ProductColumn, ProductProblem } from "../catalog/import.ts";
import { categoryRecords } from "../categories/records.ts";
import type { Shop } from "../compose.ts";
import { type PagesEnv, requireRole, setUpActorOf } from "../people/guard.ts";
import { CARD_LIKE_FIELDS, MAX_FORM_FIELD, validForm } from "../platform/http/form.ts";
import { again, render } from "../platform/http/render.ts";
import { settingsActions } from "../settings/actions.ts";
import { checkSetting } from "../settings/rules.ts";
import { taxClassRecords } from "../tax-classes/records.ts";
import { rateInWords } from "../tax-classes/rules.ts";
import { setUpProgress } from "./checklist.ts";

type C = Context<PagesEnv>;

const text = z.string().default("");
const currencyForm = z.object({ currency: text });
const productForm = z.object({
  sku: text,
  barcode: text,
  name: text,
  price: text,
  tax_class: text,
  category: text,
  weighed: z.literal("1", { error: "Sold by weight is ticked or not; reload the page and try again." }).optional(),
});

/** The form's field for each of a product's cells (the CSV import's names). */
const FIELD_OF: Record<ProductColumn, ProductField> = {
  sku: "sku",
  barcode: "barcode",
  name: "name",
  price: "price",
  taxClass: "tax_class",
  category: "category",
  stock: "name", // not on the form; never refused here
  weighed: "weighed",
};

/** A refused value is shown again to be put right, save a card number or a control character: never sent back. */
const NOT_SHOWN_AGAIN = new Set(["card_data_refused", "control_character", "unstorable_text"]);

const CURRENCIES: readonly string[] = Intl.supportedValuesOf("currency");

const empty: FirstProductProps["values"] = { sku: "", barcode: "", name: "", price: "", tax_class: "", category: "", weighed: false };

export function storeSetupRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const catalog = catalogActions(shop);
  const settings = settingsActions(shop);
  const taxClasses = taxClassRecords(shop.db);
  const categories = categoryRecords(shop.db);
  const who = (c: C) => setUpActorOf(c.get("user"), c.get("device"));
  const choices = () => taxClasses.all().map((t) => ({ code: t.code, name: t.name, rate: rateInWords(t.rateBp) }));

  const checklist = (c: C, said: { notice?: string; currencyProblem?: string } = {}) => {
    const s = shop.settings();
    const progress = setUpProgress(shop.db);
    return render(
      c,
      <SetUpPage
        store={{ name: s.storeName, named: progress.named, timeZone: s.timeZone, currency: s.currency, currencyFixed: progress.currencyFixed }}
        currencies={CURRENCIES.includes(s.currency) ? CURRENCIES : [s.currency, ...CURRENCIES]}
        taxClasses={choices()}
        categories={progress.categories}
        products={progress.products}
        sold={progress.sold}
        onRegister={!!c.get("device")}
        notice={said.notice ? { text: said.notice, kind: "info" } : null}
        currencyProblem={said.currencyProblem ?? null}
      />,
    );
  };

  const productPage = (c: C, values = empty, problems: FirstProductProps["problems"] = {}) =>
    render(
      c,
      <FirstProductPage
        values={values}
        problems={problems}
        taxClasses={choices()}
        categories={categories.all().map((x) => x.name)}
        currency={shop.settings().currency}
      />,
    );

  /** The sentence for what was just done, from the redirect's short code and the store as it is now. */
  const said = (done: string | undefined, sku: string | undefined): string | undefined => {
    if (done === "currency") return `The store sells in ${shop.settings().currency}.`;
    const product = done === "product" && sku ? shop.catalog.bySku(sku) : null;
    if (product) return `${product.name} (${product.sku}) is in the catalog: the register sells it now.`;
    return undefined;
  };

  app.get("/", (c) => {
    const notice = said(c.req.query("done"), c.req.query("sku"));
    return checklist(c, notice ? { notice } : {});
  });

  app.post("/currency", async (c) => {
    try {
      const f = await validForm(c, currencyForm);
      const checked = checkSetting("currency", f.currency, { currency: shop.settings().currency });
      if ("refused" in checked) throw new Problem(checked.refused.code, checked.refused.message);
      const user = who(c);
      // the settings' own action: it refuses a new currency once the store has sold
      settings.change(user, { currency: checked.value }, "store set-up page");
      shop.reloadSettings();
      return c.redirect("/store-setup?done=currency", 303);
    } catch (e) {
      return again(e, (message) => checklist(c, { currencyProblem: message }));
    }
  });

  app.get("/product", (c) => productPage(c));

  app.post("/product", async (c) => {
    let typed: z.output<typeof productForm> | null = null;
    try {
      typed = await validForm(c, productForm);
      const product = catalog.addProduct(who(c), {
        sku: typed.sku,
        barcode: typed.barcode,
        name: typed.name,
        price: typed.price,
        taxClass: typed.tax_class,
        category: typed.category,
        weighed: typed.weighed === "1",
      });
      return c.redirect(`/store-setup?${new URLSearchParams({ done: "product", sku: product.sku })}`, 303);
    } catch (e) {
      // the text gate refused a field before the form was read: the others come back as typed, if the gate takes them
      const sent = typed ?? (e instanceof Problem ? await readAgain(c, (e.details as { field?: string } | undefined)?.field) : null);
      return again(e, () => {
        const p = e as Problem;
        const listed = (p.details as { problems?: ProductProblem[] } | undefined)?.problems;
        const named = (p.details as { field?: string } | undefined)?.field;
        const problems: FirstProductProps["problems"] = {};
        for (const x of listed ?? []) problems[FIELD_OF[x.column]] ??= x.message;
        if (!listed) problems[isField(named) ? named : "name"] = p.message;
        // what was typed comes back to be put right, save what the text gate refused
        const hidden = new Set((listed ?? []).filter((x) => x.code && NOT_SHOWN_AGAIN.has(x.code)).map((x) => FIELD_OF[x.column]));
        if (!listed && NOT_SHOWN_AGAIN.has(p.code) && isField(named)) hidden.add(named);
        const values = sent ? { ...empty, ...sent, weighed: sent.weighed === "1" } : { ...empty };
        for (const f of hidden) if (f !== "weighed") values[f] = "";
        return productPage(c, values, problems);
      });
    }
  });

  return app;
}

/** The product form's fields as sent, but `refused` and any the text gate would refuse: to show them again. */
async function readAgain(c: C, refused: string | undefined): Promise<z.output<typeof productForm> | null> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    return null;
  }
  const out: Record<string, string> = {};
  for (const f of ["sku", "barcode", "name", "price", "tax_class", "category", "weighed"] as const) {
    const v = body[f];
    if (f === refused || typeof v !== "string") continue;
    if (textProblem(v, "", { max: MAX_FORM_FIELD, lines: true, cardLike: CARD_LIKE_FIELDS.has(f) })) continue;
    out[f] = v;
  }
  const r = productForm.safeParse(out);
  return r.success ? r.data : null;
}

const isField = (f: string | undefined): f is ProductField =>
  f === "sku" || f === "barcode" || f === "name" || f === "price" || f === "tax_class" || f === "category" || f === "weighed";
