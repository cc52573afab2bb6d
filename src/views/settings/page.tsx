// The store's settings as a manager changes them: the store, its receipts, prices and cash, the rules at the till; each
// field with a word on what it does, and beside it the sentence when it was refused.
import type { Child } from "hono/jsx";
import { Csrf } from "../ui/card.tsx";
import { OfficePage } from "../ui/office.tsx";

export type SettingsField =
  | "store_name"
  | "store_address"
  | "tax_id"
  | "time_zone"
  | "receipt_header"
  | "receipt_footer"
  | "prices_include_tax"
  | "cash_rounding"
  | "discount_limit"
  | "negative_stock"
  | "blind_count"
  | "return_days"
  | "return_max_without_receipt"
  | "non_returnable"
  | "adjustment_approval";

/** One setting changed, in words. */
export type SettingChangeView = { label: string; from: string; to: string };

export type SettingsPageProps = {
  /** Each field as the form shows it: the settings as they are, or what was typed when it was refused. */
  values: Record<SettingsField, string>;
  /**
   * What each field was drawn from (the setting as it was when the person opened the page), sent back with the form
   * so that a save writes only what they changed and notices what someone else changed meanwhile.
   */
  shown: Record<SettingsField, string>;
  /** The sentence for each refused field; nothing was saved. */
  refused?: Partial<Record<SettingsField, string>>;
  /** After a save: what changed (empty: nothing had). */
  saved?: SettingChangeView[];
  currency: string;
  hasLogo: boolean;
  timeZones: readonly string[];
  /** The cash rounding steps, in the currency's units ("0.05"); the first is no rounding. */
  cashSteps: readonly string[];
};

export function SettingsPage(p: SettingsPageProps) {
  const refused = p.refused ?? {};
  // the first field refused is where the cursor waits
  const first = (Object.keys(p.values) as SettingsField[]).find((f) => refused[f]);
  const field = (name: SettingsField) => ({ name, value: p.values[name], problem: refused[name], focus: name === first });
  return (
    <OfficePage title="Store settings">
      <h1>Store settings</h1>
      <Outcome saved={p.saved} refused={Object.keys(refused).length} />
      <form method="post" action="/settings" class="settings-form" data-testid="settings-form">
        <Csrf />
        {(Object.keys(p.shown) as SettingsField[]).map((f) => (
          <input type="hidden" name={`shown_${f}`} value={p.shown[f]} />
        ))}
        <section class="settings-group" aria-labelledby="settings-store">
          <h2 id="settings-store">The store</h2>
          <Setting {...field("store_name")} label="Store name" hint="At the top of the register and on every receipt.">
            {(a) => <input {...a} required maxlength={60} autocomplete="organization" />}
          </Setting>
          <Setting {...field("store_address")} label="Address" hint="As printed under the name: one line per line.">
            {(a) => <Lines {...a} rows={3} />}
          </Setting>
          <Setting {...field("tax_id")} label="Tax number" hint="Printed on receipts; leave it empty when there is none.">
            {(a) => <input {...a} maxlength={40} />}
          </Setting>
          <Setting {...field("time_zone")} label="Time zone" hint="The store's days, shifts and receipt times follow it.">
            {(a) => <TimeZones {...a} zones={p.timeZones} />}
          </Setting>
        </section>
        <section class="settings-group" aria-labelledby="settings-receipt">
          <h2 id="settings-receipt">Receipts</h2>
          <Setting {...field("receipt_header")} label="Receipt header" hint="Lines above the items, e.g. opening hours.">
            {(a) => <Lines {...a} rows={3} />}
          </Setting>
          <Setting {...field("receipt_footer")} label="Receipt footer" hint="Lines at the end, e.g. a thank-you or the returns policy.">
            {(a) => <Lines {...a} rows={3} />}
          </Setting>
          <div class="setting" data-testid="settings-logo">
            <span class="setting-label">Receipt logo</span>
            <p class="fixed">{p.hasLogo ? "A logo is printed at the top of receipts." : "No logo yet."}</p>
            <p class="hint">
              A PNG is uploaded on the <a href="/devices">Devices page</a>, where the printers are.
            </p>
          </div>
        </section>
        <section class="settings-group" aria-labelledby="settings-prices">
          <h2 id="settings-prices">Prices and cash</h2>
          <Choices
            {...field("prices_include_tax")}
            legend="Shelf prices"
            choices={[
              ["1", "include tax (as in the EU)"],
              ["0", "are before tax; tax is added at the till (as in the US)"],
            ]}
          />
          <Setting {...field("cash_rounding")} label="Cash rounding" hint={`Cash totals round to this step, in ${p.currency}; card payments never do.`}>
            {({ value, ...a }) => (
              <select {...a}>
                {(p.cashSteps.includes(value) ? p.cashSteps : [...p.cashSteps, value]).map((s, i) => (
                  <option value={s} selected={s === value}>
                    {i === 0 ? `${s} (no rounding)` : s}
                  </option>
                ))}
              </select>
            )}
          </Setting>
          <div class="setting" data-testid="settings-currency">
            <span class="setting-label">Currency</span>
            <p class="fixed">{p.currency}</p>
            <p class="hint">
              Not changed here: every sale, shift and report already kept is in {p.currency}, and would be read in another currency. It is chosen once, before
              the first sale (<code>shopflow settings set currency</code>).
            </p>
          </div>
        </section>
        <section class="settings-group" aria-labelledby="settings-till">
          <h2 id="settings-till">At the till</h2>
          <Setting {...field("discount_limit")} label="Discount limit" hint="Larger discounts need a manager's PIN.">
            {(a) => (
              <span class="with-unit">
                <input {...a} inputmode="decimal" maxlength={6} /> %
              </span>
            )}
          </Setting>
          <Choices
            {...field("negative_stock")}
            legend="Selling an item with no stock left"
            choices={[
              ["allow", "allowed"],
              ["warn", "allowed, with a warning to the cashier"],
              ["block", "refused"],
            ]}
          />
          <Choices
            {...field("blind_count")}
            legend="Closing a shift"
            choices={[
              ["1", "blind count: cashiers count the drawer before they see what it should hold"],
              ["0", "cashiers see what the drawer should hold as they count"],
            ]}
          />
        </section>
        <section class="settings-group" aria-labelledby="settings-returns">
          <h2 id="settings-returns">Returns</h2>
          <Setting
            {...field("return_days")}
            label="Days to return"
            hint="Goods come back within this many days of the sale; later needs a manager. Empty: no limit."
          >
            {(a) => (
              <span class="with-unit">
                <input {...a} inputmode="numeric" maxlength={4} /> days
              </span>
            )}
          </Setting>
          <Setting
            {...field("return_max_without_receipt")}
            label="Most refunded without a receipt"
            hint="A return without a receipt always needs a manager; it never refunds more than this. 0: none taken back."
          >
            {(a) => (
              <span class="with-unit">
                <input {...a} inputmode="decimal" maxlength={12} /> {p.currency}
              </span>
            )}
          </Setting>
          <Setting
            {...field("non_returnable")}
            label="Not taken back"
            hint="SKUs of products the shop does not take back, one per line; a manager can still approve one."
          >
            {(a) => <Lines {...a} rows={3} />}
          </Setting>
        </section>
        <section class="settings-group" aria-labelledby="settings-stock">
          <h2 id="settings-stock">Stock</h2>
          <Setting
            {...field("adjustment_approval")}
            label="Stock adjustments a manager approves"
            hint="An adjustment worth more than this at the shelf price needs a manager's PIN. 0: every one."
          >
            {(a) => (
              <span class="with-unit">
                <input {...a} inputmode="decimal" maxlength={12} /> {p.currency}
              </span>
            )}
          </Setting>
        </section>
        <div class="settings-actions">
          <button type="submit" class="primary" data-testid="settings-save">
            Save settings
          </button>
          <a class="button" href="/settings">
            Undo my changes
          </a>
        </div>
      </form>
    </OfficePage>
  );
}

function Outcome({ saved, refused }: { saved: SettingChangeView[] | undefined; refused: number }) {
  if (refused > 0) {
    return (
      <p class="message error" role="alert" data-testid="settings-refused">
        Not saved: {refused === 1 ? "one setting needs" : `${refused} settings need`} another look (shown below). Nothing was changed.
      </p>
    );
  }
  if (!saved) return null;
  return (
    <div class="message info settings-saved" role="status" data-testid="settings-saved">
      {saved.length === 0 ? (
        "Saved. Nothing had changed."
      ) : (
        <>
          Saved. {saved.length === 1 ? "One setting changed:" : `${saved.length} settings changed:`}
          <ul>
            {saved.map((c) => (
              <li data-testid="settings-change">
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

type FieldProps = { name: SettingsField; value: string; problem: string | undefined; focus: boolean };

function Setting(props: FieldProps & { label: string; hint: string; children: (a: ControlAttrs) => Child }) {
  const { name, problem } = props;
  const attrs: ControlAttrs = {
    id: `setting-${name}`,
    name,
    value: props.value,
    "aria-describedby": problem ? `problem-${name} hint-${name}` : `hint-${name}`,
    ...(problem ? { "aria-invalid": "true" as const } : {}),
    ...(props.focus ? { autofocus: true as const } : {}),
    "data-testid": `setting-${name}`,
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

function Problem({ name, message }: { name: SettingsField; message: string }) {
  return (
    <p class="problem" id={`problem-${name}`} data-testid={`problem-${name}`}>
      {message}
    </p>
  );
}

/** A few lines of text: an address, a receipt's header or footer. */
function Lines({ value, rows, ...a }: ControlAttrs & { rows: number }) {
  return (
    <textarea {...a} rows={rows} maxlength={300}>
      {value}
    </textarea>
  );
}

/** One of a few choices, each said in words. */
function Choices(props: FieldProps & { legend: string; choices: [value: string, words: string][] }) {
  const { name, problem } = props;
  return (
    <div class={problem ? "setting refused" : "setting"}>
      <fieldset aria-describedby={problem ? `problem-${name}` : undefined} data-testid={`setting-${name}`}>
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

/** The IANA zones by region (Europe, America, …), names as people read them ("New York"). */
function TimeZones({ value, zones, ...a }: ControlAttrs & { zones: readonly string[] }) {
  const all = zones.includes(value) ? zones : [value, ...zones];
  const regions = new Map<string, string[]>();
  for (const z of all) {
    const region = z.includes("/") ? z.slice(0, z.indexOf("/")) : "Other";
    const names = regions.get(region);
    if (names) names.push(z);
    else regions.set(region, [z]);
  }
  return (
    <select {...a}>
      {[...regions].map(([region, names]) => (
        <optgroup label={region}>
          {names.map((z) => (
            <option value={z} selected={z === value}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
