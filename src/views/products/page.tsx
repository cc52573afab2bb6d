// One product as a manager adds or edits it: what the register sells it as, what the store keeps of its own (cost,
// reorder point and level, shelf location, taken back or not), and below, its stock movements, newest first. When the
// store takes its catalog from head office, head office's fields are shown, not offered.
import type { Child } from "hono/jsx";
import { Csrf } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";
import { type MovementView, Stock, type StockView } from "./stock.tsx";

export type { MovementView, StockView };

export type ProductField =
  | "name"
  | "sku"
  | "barcode"
  | "barcodes"
  | "price"
  | "tax_class"
  | "category"
  | "weighed"
  | "active"
  | "cost"
  | "reorder_point"
  | "reorder_level"
  | "location"
  | "returnable";

/** One field changed by a save, in words. */
export type ProductChangeView = { label: string; from: string; to: string };

export type TaxClassView = { code: string; name: string; rateBp: number };

export type ProductPageProps = {
  /** null: a product being added. */
  id: number | null;
  /** The product's name as kept (a new one: none). */
  name: string | null;
  /** Each field as the form shows it: as kept, or as typed when the save was refused. */
  values: Record<ProductField, string>;
  /** The version the form saves over, and what it showed (opaque, sent back to say what changed meanwhile). */
  version: number | null;
  seen: string | null;
  /** The sentence beside each refused field. */
  refused?: Partial<Record<ProductField, string>> | undefined;
  /** Above the form: why nothing was saved, or that something was. */
  message?: { kind: "error" | "info"; text: string } | undefined;
  /** After a save: what changed (empty: nothing had). */
  saved?: ProductChangeView[] | undefined;
  /** The store takes its catalog from head office: these fields are shown, not offered. */
  headOffice: readonly ProductField[] | null;
  currency: string;
  taxClasses: readonly TaxClassView[];
  categories: readonly string[];
  /** On hand, for a product that exists. */
  stock: StockView | null;
  movements: readonly MovementView[];
  /** The link to older movements, when there are more. */
  olderMovements: string | null;
};

const labels: Record<ProductField, string> = {
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

const choices: Partial<Record<ProductField, [value: string, words: string][]>> = {
  weighed: [
    ["0", "the unit"],
    ["1", "weight (per kg)"],
  ],
  active: [
    ["1", "yes: the register sells it"],
    ["0", "no: the register refuses it"],
  ],
  returnable: [
    ["1", "yes"],
    ["0", "no (a manager can still approve a return)"],
  ],
};

export function ProductPage(p: ProductPageProps) {
  const refused = p.refused ?? {};
  const fixed = new Set(p.headOffice ?? []);
  const offered = (f: ProductField) => !fixed.has(f);
  const first = (Object.keys(p.values) as ProductField[]).find((f) => refused[f] && offered(f));
  const field = (name: ProductField) => ({ name, value: p.values[name], problem: refused[name], focus: name === first });
  const title = p.id === null ? "New product" : (p.name ?? "Product");
  const action = p.id === null ? "/products" : `/products/${p.id}`;
  const catalog: ProductField[] = ["name", "sku", "barcode", "barcodes", "price", "tax_class", "category", "weighed", "active"];
  return (
    <OfficePage title={title}>
      <p>
        <a href="/products" data-testid="products-back">
          ← Products
        </a>
        {p.id !== null && (
          <>
            {" · "}
            <a href={`/stock/labels/pdf?ids=${p.id}`} data-testid="product-label">
              Print shelf label
            </a>
          </>
        )}
      </p>
      <h1 data-testid="product-title">{title}</h1>
      <Outcome message={p.message} saved={p.saved} />
      <form method="post" action={action} class="settings-form product-form" data-testid="product-form">
        <Csrf />
        {p.version !== null && <input type="hidden" name="version" value={String(p.version)} />}
        {p.seen !== null && <input type="hidden" name="seen" value={p.seen} />}
        <section class="settings-group" aria-labelledby="product-catalog">
          <h2 id="product-catalog">What the register sells</h2>
          {p.headOffice && (
            <p class="message info" data-testid="product-head-office">
              Head office sets these; change them there.
            </p>
          )}
          {catalog.map((f) =>
            offered(f) ? (
              <Control {...field(f)} p={p} />
            ) : (
              <div class="setting" data-testid={`fixed-${f}`}>
                <span class="setting-label">{labels[f]}</span>
                <p class="fixed">{fixedWords(f, p)}</p>
              </div>
            ),
          )}
        </section>
        <section class="settings-group" aria-labelledby="product-store">
          <h2 id="product-store">At this store</h2>
          <Setting {...field("cost")} label="Cost" hint={`What the shop pays for one (or one kg), in ${p.currency}; empty if not known.`}>
            {(a) => (
              <span class="with-unit">
                <input {...a} inputmode="decimal" maxlength={14} /> {p.currency}
              </span>
            )}
          </Setting>
          <Setting {...field("reorder_point")} label="Reorder point (min)" hint="Order more when on hand falls to this; the list shows it as low stock.">
            {(a) => <input {...a} inputmode="decimal" maxlength={12} />}
          </Setting>
          <Setting {...field("reorder_level")} label="Reorder level (max)" hint="What an order fills the shelf up to.">
            {(a) => <input {...a} inputmode="decimal" maxlength={12} />}
          </Setting>
          <Setting {...field("location")} label="Location" hint="Where it sits, e.g. Aisle 3, shelf B.">
            {(a) => <input {...a} maxlength={40} />}
          </Setting>
          <Choices {...field("returnable")} legend="Taken back" choices={choices.returnable!} />
        </section>
        <div class="settings-actions">
          <button type="submit" class="primary" data-testid="product-save">
            {p.id === null ? "Add the product" : "Save"}
          </button>
          <a class="button" href={p.id === null ? "/products" : `/products/${p.id}`}>
            {p.id === null ? "Cancel" : "Undo my changes"}
          </a>
        </div>
      </form>
      {p.stock && <Stock stock={p.stock} movements={p.movements} older={p.olderMovements} />}
    </OfficePage>
  );
}

/** A field head office sets, as it is. */
function fixedWords(f: ProductField, p: ProductPageProps): string {
  const v = p.values[f];
  const chosen = choices[f]?.find(([value]) => value === v)?.[1];
  if (chosen) return chosen;
  if (f === "price") return `${v} ${p.currency}`;
  if (f === "barcodes") return v === "" ? "none" : v.split("\n").join(", ");
  return v === "" ? "none" : v;
}

function Control(props: FieldProps & { p: ProductPageProps }) {
  const { p, ...f } = props;
  switch (f.name) {
    case "name":
      return (
        <Setting {...f} label="Name" hint="As the register, the receipts and the shelf labels show it.">
          {(a) => <input {...a} required maxlength={200} />}
        </Setting>
      );
    case "sku":
      return (
        <Setting {...f} label="SKU" hint="The shop's own code for it, without spaces, e.g. MILK-1L.">
          {(a) => <input {...a} required maxlength={64} autocomplete="off" />}
        </Setting>
      );
    case "barcode":
      return (
        <Setting {...f} label="Barcode" hint="The code on the pack (EAN or UPC); empty if it has none.">
          {(a) => <input {...a} inputmode="numeric" maxlength={20} autocomplete="off" />}
        </Setting>
      );
    case "barcodes":
      return (
        <Setting {...f} label="Other barcodes" hint="More codes the register finds it by (a multipack, an old label), one per line.">
          {({ value, ...a }) => (
            <textarea {...a} rows={3} maxlength={400}>
              {value}
            </textarea>
          )}
        </Setting>
      );
    case "price":
      return (
        <Setting {...f} label="Price" hint={`The shelf price of one (or of one kg), in ${p.currency}.`}>
          {(a) => (
            <span class="with-unit">
              <input {...a} required inputmode="decimal" maxlength={14} /> {p.currency}
            </span>
          )}
        </Setting>
      );
    case "tax_class":
      return (
        <Setting {...f} label="Tax class" hint="The rate the register charges on it.">
          {({ value, ...a }) => (
            <select {...a}>
              {!p.taxClasses.some((t) => t.code === value) && <option value="">Choose…</option>}
              {p.taxClasses.map((t) => (
                <option value={t.code} selected={t.code === value}>
                  {t.code} · {t.name} ({t.rateBp / 100} %)
                </option>
              ))}
            </select>
          )}
        </Setting>
      );
    case "category":
      return (
        <Setting {...f} label="Category" hint="Pick one, or type a new one; empty for none.">
          {(a) => (
            <>
              <input {...a} list="product-categories" maxlength={100} />
              <datalist id="product-categories">
                {p.categories.map((c) => (
                  <option value={c} />
                ))}
              </datalist>
            </>
          )}
        </Setting>
      );
    case "weighed":
      return <Choices {...f} legend="Sold by" choices={choices.weighed!} />;
    case "active":
      return <Choices {...f} legend="On sale" choices={choices.active!} />;
    default:
      return null;
  }
}

function Outcome({ message, saved }: { message: ProductPageProps["message"]; saved: ProductChangeView[] | undefined }) {
  if (message) {
    return (
      <p class={`message ${message.kind}`} role={message.kind === "error" ? "alert" : "status"} data-testid="product-message">
        {message.text}
      </p>
    );
  }
  if (!saved) return null;
  return (
    <div class="message info settings-saved" role="status" data-testid="product-saved">
      {saved.length === 0 ? (
        "Saved. Nothing had changed."
      ) : (
        <>
          Saved:
          <ul>
            {saved.map((c) => (
              <li data-testid="product-change">
                {c.label}: {c.from} → {c.to}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** What a field's control carries: its name, value, id, and the hint and refusal it is described by. */
type ControlAttrs = {
  id: string;
  name: string;
  value: string;
  "aria-describedby": string;
  "aria-invalid"?: "true";
  autofocus?: true;
  "data-testid": string;
};

type FieldProps = { name: ProductField; value: string; problem: string | undefined; focus: boolean };

function Setting(props: FieldProps & { label: string; hint: string; children: (a: ControlAttrs) => Child }) {
  const { name, problem } = props;
  const attrs: ControlAttrs = {
    id: `product-${name}`,
    name,
    value: props.value,
    "aria-describedby": problem ? `problem-${name} hint-${name}` : `hint-${name}`,
    ...(problem ? { "aria-invalid": "true" as const } : {}),
    ...(props.focus ? { autofocus: true as const } : {}),
    "data-testid": `product-${name}`,
  };
  return (
    <div class={problem ? "setting refused" : "setting"}>
      <label for={attrs.id}>{props.label}</label>
      {problem && <Problem name={name} message={problem} />}
      {props.children(attrs)}
      <p class="hint" id={`hint-${name}`}>
        {props.hint}
      </p>
    </div>
  );
}

function Problem({ name, message }: { name: ProductField; message: string }) {
  return (
    <p class="problem" id={`problem-${name}`} data-testid={`problem-${name}`}>
      {message}
    </p>
  );
}

/** One of a few choices, each said in words. */
function Choices(props: FieldProps & { legend: string; choices: [value: string, words: string][] }) {
  const { name, problem } = props;
  return (
    <div class={problem ? "setting refused" : "setting"}>
      <fieldset aria-describedby={problem ? `problem-${name}` : undefined} data-testid={`product-${name}`}>
        <legend>{props.legend}</legend>
        {problem && <Problem name={name} message={problem} />}
        {props.choices.map(([value, words]) => (
          <label>
            <input type="radio" name={name} value={value} checked={value === props.value} autofocus={props.focus && value === props.value} /> {words}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
