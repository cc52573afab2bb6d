// Setting up a new store, from nothing to its first sale: a checklist of what is done and what is not (the store's
// details, tax classes, categories, a first product or a CSV file, the first sale), and the form for one product.
import type { Child } from "hono/jsx";
import { Csrf } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";

export type Notice = { text: string; kind: "info" | "error" };

export type TaxClassChoice = { code: string; name: string /** in words: "20 %" */; rate: string };

export type SetUpProps = {
  store: { name: string; named: boolean; timeZone: string; currency: string; currencyFixed: boolean };
  /** The currencies a store may choose (ISO 4217 codes). */
  currencies: readonly string[];
  taxClasses: TaxClassChoice[];
  categories: number;
  products: number;
  sold: boolean;
  /** This browser is a paired register, where the first sale is made. */
  onRegister: boolean;
  notice: Notice | null;
  /** The currency refused: the sentence beside it. */
  currencyProblem: string | null;
};

export function SetUpPage(p: SetUpProps) {
  const ready = p.taxClasses.length > 0 && p.products > 0;
  return (
    <OfficePage title="Set up your store">
      <h1>Set up your store</h1>
      <p class="office-lead">
        {ready
          ? "The store has what it needs to sell. Add more products whenever you like."
          : "A few things before the first sale. Each step says whether it is done; come back here at any time."}
      </p>
      {p.notice && (
        <p class={`message ${p.notice.kind}`} role={p.notice.kind === "error" ? "alert" : "status"} data-testid="setup-message">
          {p.notice.text}
        </p>
      )}
      <ol class="setup-steps" data-testid="setup-steps">
        <Step step="store" done={p.store.named} title="The store's name, time zone and currency">
          <dl class="setup-facts">
            <dt>Name</dt>
            <dd data-testid="setup-store-name">{p.store.named ? p.store.name : `${p.store.name} (not chosen yet)`}</dd>
            <dt>Time zone</dt>
            <dd>{p.store.timeZone.replace(/_/g, " ")}</dd>
            <dt>Currency</dt>
            <dd data-testid="setup-currency">{p.store.currency}</dd>
          </dl>
          <p>
            <a class="button" href="/settings" data-testid="setup-settings">
              Name, address and time zone in Settings
            </a>
          </p>
          {p.store.currencyFixed ? (
            <>
              {p.currencyProblem && (
                <p class="message error" role="alert" data-testid="problem-currency">
                  {p.currencyProblem}
                </p>
              )}
              <p class="hint">The currency is fixed: the store has begun selling in {p.store.currency}.</p>
            </>
          ) : (
            <form method="post" action="/store-setup/currency" class="filters" data-testid="setup-currency-form">
              <Csrf />
              <div class={p.currencyProblem ? "setting refused" : "setting"}>
                <label for="setup-currency-choice">Currency</label>
                {p.currencyProblem && (
                  <p class="problem" id="setup-currency-problem" data-testid="problem-currency">
                    {p.currencyProblem}
                  </p>
                )}
                <select
                  id="setup-currency-choice"
                  name="currency"
                  aria-invalid={p.currencyProblem ? "true" : undefined}
                  aria-describedby={p.currencyProblem ? "setup-currency-problem setup-currency-hint" : "setup-currency-hint"}
                >
                  {p.currencies.map((c) => (
                    <option value={c} selected={c === p.store.currency}>
                      {c}
                    </option>
                  ))}
                </select>
                <p class="hint" id="setup-currency-hint">
                  Chosen once, before the first sale: every sale, shift and report is kept in it.
                </p>
              </div>
              <button type="submit" data-testid="setup-currency-save">
                Set the currency
              </button>
            </form>
          )}
        </Step>
        <Step step="tax" done={p.taxClasses.length > 0} title="Tax classes: at least one">
          {p.taxClasses.length === 0 ? (
            <p>Every product has a tax class, with its rate: add the ones your products are sold at, such as STD at 20 %.</p>
          ) : (
            <ul data-testid="setup-tax-classes">
              {p.taxClasses.map((t) => (
                <li>
                  {t.code} · {t.name} · {t.rate}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a class="button" href="/tax-classes" data-testid="setup-tax-link">
              {p.taxClasses.length === 0 ? "Add tax classes" : "Tax classes"}
            </a>
          </p>
        </Step>
        <Step step="categories" done={p.categories > 0} title="Categories (if you want them)">
          <p>
            {p.categories === 0
              ? "Optional: categories are the tabs of quick keys at the registers. A CSV file can bring them with its products."
              : `${p.categories === 1 ? "1 category" : `${p.categories} categories`} so far.`}
          </p>
          <p>
            <a class="button" href="/categories" data-testid="setup-categories-link">
              Categories
            </a>
          </p>
        </Step>
        <Step step="product" done={p.products > 0} title="A first product, or a whole catalog from a spreadsheet">
          <p data-testid="setup-products">
            {p.products === 0 ? "No products yet." : `${p.products === 1 ? "1 product" : `${p.products} products`} in the catalog.`}
          </p>
          <p>
            {p.taxClasses.length === 0 ? (
              <span class="hint">A product needs a tax class: add one first.</span>
            ) : (
              <a class="button primary" href="/store-setup/product" data-testid="setup-product-link">
                Add a product
              </a>
            )}
          </p>
          <p class="hint">
            Or import a CSV file on the store's computer: <code>shopflow import products.csv</code>. Its first line names the columns: sku, barcode, name,
            price, tax class, category, stock, unit/weighed (at least sku, name, price and tax class).
          </p>
        </Step>
        <Step step="sale" done={p.sold} title="The first sale">
          {p.onRegister ? (
            <p>
              <a class="button" href="/" data-testid="setup-register-link">
                Open the register
              </a>
            </p>
          ) : (
            <p>
              Sales are made on a register: <a href="/pair">make a browser a register</a> (a manager's PIN pairs it), then sign in there.
            </p>
          )}
        </Step>
      </ol>
    </OfficePage>
  );
}

function Step(props: { step: string; done: boolean; title: string; children: Child }) {
  return (
    <li class={props.done ? "setup-step done" : "setup-step"} data-testid={`step-${props.step}`} data-done={String(props.done)}>
      <h2>
        <span class={props.done ? "pill ok" : "pill warn"}>{props.done ? "Done" : "To do"}</span> {props.title}
      </h2>
      {props.children}
    </li>
  );
}

export type ProductField = "sku" | "barcode" | "name" | "price" | "tax_class" | "category" | "weighed";

export type FirstProductProps = {
  /** What the fields show: empty, or what was typed when it was refused (a card number or control character never). */
  values: Record<Exclude<ProductField, "weighed">, string> & { weighed: boolean };
  /** Each refused field's sentence; nothing was written. */
  problems: Partial<Record<ProductField, string>>;
  taxClasses: TaxClassChoice[];
  /** The categories there are, offered as the field is typed; a new name makes a new one, as the CSV import does. */
  categories: string[];
  currency: string;
};

export function FirstProductPage(p: FirstProductProps) {
  const count = Object.keys(p.problems).length;
  const first = (["sku", "barcode", "name", "price", "tax_class", "category", "weighed"] as const).find((f) => p.problems[f]);
  const attrs = (name: ProductField, hint: string) => ({
    id: `product-${name}`,
    name,
    "aria-invalid": p.problems[name] ? ("true" as const) : undefined,
    "aria-describedby": p.problems[name] ? `problem-${name} hint-${name}` : `hint-${name}`,
    autofocus: name === first || (first === undefined && name === "sku"),
    "data-testid": `product-${name}`,
    hint,
  });
  return (
    <OfficePage title="Add a product">
      <p>
        <a href="/store-setup">← Back to setting up the store</a>
      </p>
      <h1>Add a product</h1>
      {count > 0 && (
        <p class="message error" role="alert" data-testid="product-refused">
          Not added: {count === 1 ? "one field needs" : `${count} fields need`} another look (shown below). Nothing was written.
        </p>
      )}
      {p.taxClasses.length === 0 ? (
        <p class="message warn" data-testid="product-no-tax">
          A product needs a tax class, and the store has none yet: <a href="/tax-classes">add one</a> first.
        </p>
      ) : (
        <form method="post" action="/store-setup/product" class="settings-form setup-product" data-testid="product-form">
          <Csrf />
          <section class="settings-group">
            <Field problem={p.problems.sku} label="SKU" {...attrs("sku", "Your own code for it, such as MILK-1L; unique in the store.")}>
              {(a) => <input {...a} value={p.values.sku} required maxlength={64} />}
            </Field>
            <Field
              problem={p.problems.barcode}
              label="Barcode (optional)"
              {...attrs("barcode", "The EAN or UPC printed on it, to scan; empty when it has none.")}
            >
              {(a) => <input {...a} value={p.values.barcode} inputmode="numeric" maxlength={14} />}
            </Field>
            <Field problem={p.problems.name} label="Name" {...attrs("name", "As the register and the receipt show it.")}>
              {(a) => <input {...a} value={p.values.name} required maxlength={200} />}
            </Field>
            <Field problem={p.problems.price} label="Price" {...attrs("price", "What the customer pays for one, or for a kilogram when it is weighed.")}>
              {(a) => (
                <span class="with-unit">
                  <input {...a} value={p.values.price} required inputmode="decimal" maxlength={12} /> {p.currency}
                </span>
              )}
            </Field>
          </section>
          <section class="settings-group">
            <Field problem={p.problems.tax_class} label="Tax class" {...attrs("tax_class", "The rate a sale charges for it.")}>
              {(a) => (
                <select {...a} required>
                  {p.taxClasses.map((t) => (
                    <option value={t.code} selected={t.code === p.values.tax_class}>
                      {t.code} · {t.name} · {t.rate}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              problem={p.problems.category}
              label="Category (optional)"
              {...attrs("category", "A tab of quick keys at the registers; a new name makes a new category.")}
            >
              {(a) => (
                <>
                  <input {...a} value={p.values.category} list="product-categories" maxlength={100} />
                  <datalist id="product-categories">
                    {p.categories.map((c) => (
                      <option value={c} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <div class={p.problems.weighed ? "setting refused" : "setting"}>
              {p.problems.weighed && (
                <p class="problem" id="problem-weighed" data-testid="problem-weighed">
                  {p.problems.weighed}
                </p>
              )}
              <label class="check">
                <input type="checkbox" name="weighed" value="1" checked={p.values.weighed} data-testid="product-weighed" aria-describedby="hint-weighed" /> Sold
                by weight
              </label>
              <p class="hint" id="hint-weighed">
                The register weighs it (or asks for its weight), and the price is per kilogram.
              </p>
            </div>
          </section>
          <div class="settings-actions">
            <button type="submit" class="primary" data-testid="product-add">
              Add the product
            </button>
          </div>
        </form>
      )}
    </OfficePage>
  );
}

type FieldAttrs = {
  id: string;
  name: ProductField;
  "aria-invalid": "true" | undefined;
  "aria-describedby": string;
  autofocus: boolean;
  "data-testid": string;
};

function Field(props: FieldAttrs & { label: string; hint: string; problem: string | undefined; children: (a: FieldAttrs) => Child }) {
  const { label, hint, problem, children, ...a } = props;
  return (
    <div class={problem ? "setting refused" : "setting"}>
      <label for={a.id}>{label}</label>
      {problem && (
        <p class="problem" id={`problem-${a.name}`} data-testid={`problem-${a.name}`}>
          {problem}
        </p>
      )}
      {children(a)}
      <p class="hint" id={`hint-${a.name}`}>
        {hint}
      </p>
    </div>
  );
}
