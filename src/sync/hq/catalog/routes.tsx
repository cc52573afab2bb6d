// Catalog pages: browse and search the published catalog (everyone), edit into the draft release and publish it
// (catalog role and admins), release history.

import { type Context, Hono } from "hono";
import { currencyDigits, minorToDecimal } from "../../../domain/kernel/money.ts";
import { Problem } from "../../../domain/kernel/problem.ts";
import { readForm, validForm } from "../../../server/platform/http/form.ts";
import { again, render } from "../../../server/platform/http/render.ts";
import { type CatalogData, CatalogPage, CatalogResults, type DraftView, ProductFormPage, TaxClassFormPage } from "../../../views/hq/catalog.tsx";
import { DraftPage, ReleasesPage } from "../../../views/hq/releases.tsx";
import { categoryNames } from "../categories/categories.ts";
import { fieldProblems } from "../people/forms.ts";
import { type HqDeps, type HqEnv, requireRole } from "../people/guard.ts";
import { maySee, storeFilterOf } from "../people/store-filter.ts";
import { csvImportRoutes } from "./csv-routes.tsx";
import {
  ChangeRefused,
  discardDraft,
  draftChanges,
  draftDeactivate,
  draftFingerprint,
  draftPrice,
  draftProduct,
  draftTaxClass,
  type Problems,
  productToEdit,
  publishDraft,
  removeDraftChange,
  taxClassToEdit,
  taxCodesWithDraft,
} from "./draft.ts";
import { discardForm, priceForm, productForm, publishForm, removeForm, taxClassForm } from "./forms.ts";
import { catalogListPage, listChoices, publishedTaxClasses, readListQuery } from "./list.ts";
import { priceListRoutes } from "./price-lists-routes.tsx";
import { regionRoutes } from "./regions-routes.tsx";
import { type CatalogProduct, type CatalogTaxClass, currentProducts, currentTaxClasses, releaseHistory, scheduledReleases } from "./releases.ts";

type C = Context<HqEnv>;

/** Whether a draft change is one the person may see: a store's price or move only for a store they see. */
const seesChange = (c: C, d: { kind: string; item: unknown }) =>
  !["store_price", "store_region"].includes(d.kind) || maySee(storeFilterOf(c), (d.item as { store_id: string }).store_id);

export function catalogRoutes(deps: HqDeps) {
  const { sql, clock } = deps;
  const digits = currencyDigits(deps.currency);
  const app = new Hono<HqEnv>();
  // reading the catalog is for every head-office user; every change under /catalog needs the catalog role or admin
  app.on(["POST", "PUT", "PATCH", "DELETE"], "*", requireRole("catalog"));
  const by = (c: C) => c.get("user")!.name;

  // Browse and search
  // one page of 50 by keyset, filtered (list.ts); a bad filter or page link is a 4xx with a sentence
  const catalogData = async (query: Record<string, string | undefined>): Promise<CatalogData> => {
    const { filter, after, before } = readListQuery(query);
    const [list, taxClasses, draft, choices] = await Promise.all([
      catalogListPage(sql, filter, { after, before }),
      publishedTaxClasses(sql),
      draftChanges(sql),
      listChoices(sql),
    ]);
    const draftSkus: Record<string, CatalogProduct> = {};
    for (const d of draft) if (d.kind === "product") draftSkus[d.key] = d.item;
    return { filter, now: clock.now(), list, taxClasses, draftSkus, draftCount: draft.length, categories: choices.categories, taxCodes: choices.taxClasses };
  };
  app.get("/", async (c) => {
    const data = await catalogData(c.req.query());
    if (c.req.header("HX-Request") === "true") return render(c, <CatalogResults data={data} />);
    const changed = c.req.query("changed");
    return render(c, <CatalogPage data={data} message={changed ? `${changed.slice(0, 64)} is changed in the draft release.` : undefined} />);
  });

  // Products
  const productValues = (p: CatalogProduct) => ({
    sku: p.sku,
    name: p.name,
    barcode: p.barcode ?? "",
    price: minorToDecimal(p.price, digits),
    tax_class: p.tax_class,
    category: p.category ?? "",
    weighed: p.weighed,
    active: p.active,
  });
  const formValues = (f: Record<string, string | undefined>, sku?: string) => ({
    ...f,
    sku: sku ?? f.sku,
    weighed: f.weighed === "on",
    active: f.active === "on",
  });
  const productPage = async (c: C, o: { isNew: boolean; values: Record<string, string | boolean | undefined>; problems?: Problems; sku?: string }) => {
    const published = o.sku ? ((await currentProducts(sql, { skus: [o.sku], limit: 1 }))[0]?.item ?? null) : null;
    const [taxCodes, categories] = await Promise.all([taxCodesWithDraft(sql), categoryNames(sql)]);
    return render(
      c,
      <ProductFormPage taxCodes={taxCodes} categories={categories} isNew={o.isNew} values={o.values} problems={o.problems} published={published} />,
    );
  };
  // a refused change shows its form again with the sentences and the problem's status
  const refused = (e: unknown, page: (p: Problems) => Response | Promise<Response>) => {
    if (e instanceof ChangeRefused) return again(e, () => page(e.problems));
    throw e;
  };
  const found = async (sku: string) => {
    const p = await productToEdit(sql, sku);
    if (!p) throw new Problem("product_not_found", `There is no product with SKU ${sku.slice(0, 64)}.`);
    return p;
  };

  app.get("/new-product", requireRole("catalog"), (c) => productPage(c, { isNew: true, values: { active: true } }));
  app.post("/products", async (c) => {
    const f = await validForm(c, productForm);
    try {
      const p = await draftProduct(sql, f, { sku: null, digits, by: by(c) });
      return c.redirect(`/catalog?changed=${encodeURIComponent(p.sku)}`, 303);
    } catch (e) {
      return refused(e, (problems) => productPage(c, { isNew: true, values: formValues(f), problems }));
    }
  });
  app.get("/products/:sku", requireRole("catalog"), async (c) => {
    const p = await found(c.req.param("sku"));
    return productPage(c, { isNew: false, values: productValues(p.item), sku: p.item.sku });
  });
  app.post("/products/:sku", async (c) => {
    const sku = (await found(c.req.param("sku"))).item.sku;
    const f = await validForm(c, productForm);
    try {
      await draftProduct(sql, f, { sku, digits, by: by(c) });
      return c.redirect(`/catalog?changed=${encodeURIComponent(sku)}`, 303);
    } catch (e) {
      return refused(e, (problems) => productPage(c, { isNew: false, values: formValues(f, sku), problems, sku }));
    }
  });
  app.post("/products/:sku/price", async (c) => {
    const base = await found(c.req.param("sku"));
    const f = await validForm(c, priceForm);
    try {
      await draftPrice(sql, base.item.sku, f.price, { digits, by: by(c) });
      return c.redirect(`/catalog?changed=${encodeURIComponent(base.item.sku)}`, 303);
    } catch (e) {
      // the whole product form, with the typed price and its sentence beside it
      return refused(e, (problems) => productPage(c, { isNew: false, values: { ...productValues(base.item), price: f.price }, problems, sku: base.item.sku }));
    }
  });
  app.post("/products/:sku/deactivate", async (c) => {
    const sku = (await found(c.req.param("sku"))).item.sku;
    await draftDeactivate(sql, sku, by(c));
    return c.redirect(`/catalog?changed=${encodeURIComponent(sku)}`, 303);
  });

  // Tax classes
  const taxValues = (t: CatalogTaxClass) => ({ code: t.code, name: t.name, rate: minorToDecimal(t.rate_bp, 2).replace(/\.?0+$/, "") });
  const taxPage = (c: C, isNew: boolean, values: Record<string, string | undefined>, problems?: Problems) =>
    render(c, <TaxClassFormPage isNew={isNew} values={values} problems={problems} />);
  const taxFound = async (code: string) => {
    const t = await taxClassToEdit(sql, code);
    if (!t) throw new Problem("tax_class_not_found", `There is no tax class ${code.slice(0, 20)}.`);
    return t.item;
  };
  app.get("/new-tax-class", requireRole("catalog"), (c) => taxPage(c, true, {}));
  app.post("/tax-classes", async (c) => {
    const f = await validForm(c, taxClassForm);
    try {
      const t = await draftTaxClass(sql, f, { code: null, by: by(c) });
      return c.redirect(`/catalog?changed=${encodeURIComponent(t.code)}`, 303);
    } catch (e) {
      return refused(e, (problems) => taxPage(c, true, f, problems));
    }
  });
  app.get("/tax-classes/:code", requireRole("catalog"), async (c) => taxPage(c, false, taxValues(await taxFound(c.req.param("code")))));
  app.post("/tax-classes/:code", async (c) => {
    const code = (await taxFound(c.req.param("code"))).code;
    const f = await validForm(c, taxClassForm);
    try {
      await draftTaxClass(sql, f, { code, by: by(c) });
      return c.redirect(`/catalog?changed=${encodeURIComponent(code)}`, 303);
    } catch (e) {
      return refused(e, (problems) => taxPage(c, false, { ...f, code }, problems));
    }
  });

  // The draft release
  const draftPage = async (
    c: C,
    extra: { values?: { effective_at?: string; note?: string; confirm_past?: string }; problems?: Problems; message?: string } = {},
    status: 200 | 422 = 200,
  ) => {
    const all = await draftChanges(sql);
    // a person limited to some stores sees the draft's changes for those stores only, and is told of the rest
    const draft = all.filter((d) => seesChange(c, d));
    const hidden = all.length - draft.length;
    if (hidden > 0 && !extra.message) extra = { ...extra, message: othersInDraft(hidden) };
    const skus = draft.filter((d) => d.kind === "product").map((d) => d.key);
    const [products, taxes, scheduled] = await Promise.all([
      skus.length > 0 ? currentProducts(sql, { skus, limit: skus.length }) : Promise.resolve([]),
      currentTaxClasses(sql),
      scheduledReleases(sql, clock.now()),
    ]);
    const oldProduct = new Map(products.map((p) => [p.item.sku, p.item]));
    const oldTax = new Map(taxes.map((t) => [t.item.code, t.item]));
    const changes: DraftView[] = draft.map((d) =>
      d.kind === "product" ? { ...d, old: oldProduct.get(d.key) ?? null } : { ...d, old: oldTax.get(d.key) ?? null },
    );
    return render(c, <DraftPage changes={changes} fingerprint={draftFingerprint(all)} scheduled={scheduled} {...extra} />, status);
  };
  /** How many of the draft's changes are for stores this person does not see: they may then not publish or discard it. */
  // only a person limited to some stores has any: their stores' prices and moves are the draft's only store-scoped rows
  const unseenInDraft = async (c: C): Promise<number> => {
    const filter = storeFilterOf(c);
    if (filter === null) return 0;
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM catalog_draft_changes
      WHERE kind IN ('store_price', 'store_region') AND NOT (lower(item->>'store_id') = ANY(${filter as string[]}::text[]))`;
    return row!.n;
  };
  const othersInDraft = (n: number) =>
    `The draft also holds ${n} change${n === 1 ? "" : "s"} for stores you do not see; a person who sees every store publishes or discards it.`;
  app.get("/draft", (c) => draftPage(c));
  app.post("/draft/publish", async (c) => {
    const f = await readForm(c);
    const values = { effective_at: f.effective_at, note: f.note, confirm_past: f.confirm_past };
    const p = publishForm(clock.now()).safeParse(f);
    if (!p.success) return draftPage(c, { values, problems: fieldProblems(p.error) }, 422);
    const unseen = await unseenInDraft(c);
    if (unseen > 0) return draftPage(c, { values, problems: { publish: othersInDraft(unseen) } }, 422);
    try {
      const r = await publishDraft(sql, { ...p.data, publishedBy: by(c), now: clock.now() });
      return c.redirect(`/catalog/releases?published=${r.version}`, 303);
    } catch (e) {
      return again(e, (message) => draftPage(c, { values, problems: { publish: message } }));
    }
  });
  app.post("/draft/discard", async (c) => {
    const f = await validForm(c, discardForm);
    const unseen = await unseenInDraft(c);
    if (unseen > 0) return draftPage(c, { problems: { publish: othersInDraft(unseen) } }, 422);
    try {
      const n = await discardDraft(sql, f.fingerprint);
      return draftPage(c, { message: n > 0 ? `The draft's ${n} change${n === 1 ? " is" : "s are"} discarded.` : "The draft was empty." });
    } catch (e) {
      return again(e, (message) => draftPage(c, { problems: { publish: message } }));
    }
  });
  app.post("/draft/remove", async (c) => {
    const f = await validForm(c, removeForm);
    // a change for a store the person does not see is not theirs to take out: as if it were not there
    const [theirs] = await sql<{ kind: string; item: unknown }[]>`SELECT kind, item FROM catalog_draft_changes WHERE kind = ${f.kind} AND key = ${f.key}`;
    const removed = theirs !== undefined && seesChange(c, theirs) && (await removeDraftChange(sql, f.kind, f.key));
    return draftPage(c, { message: removed ? `${f.key} is out of the draft.` : `${f.key.slice(0, 64)} was not in the draft.` });
  });

  // Store prices (price lists), and products from a CSV file
  app.route("/prices", priceListRoutes(deps));
  app.route("/regions", regionRoutes(deps));
  app.route("/import", csvImportRoutes(deps));

  // History
  app.get("/releases", async (c) => {
    const published = Number(c.req.query("published"));
    const releases = await releaseHistory(sql);
    const just = Number.isSafeInteger(published) ? releases.find((r) => r.version === published) : undefined;
    const message = just ? `Release ${just.version} published, effective ${just.effective_at.toISOString().slice(0, 16).replace("T", " ")} UTC.` : undefined;
    return render(c, <ReleasesPage now={clock.now()} releases={releases} message={message} />);
  });
  return app;
}
