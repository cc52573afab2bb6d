// Store settings for managers (/settings): the form with the settings as they are; saved all at once, with what changed.
// The form says what it showed, so a save writes only what the person changed, and refuses (409, nothing written) a
// change to a setting someone else changed since the page was drawn.
import type { Context } from "hono";
import { Hono } from "hono";
import { Problem, type ProblemCode } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { type SettingsField, SettingsPage, type SettingsPageProps } from "../../views/settings/page.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { MAX_FORM_FIELD, readForm } from "../platform/http/form.ts";
import { render } from "../platform/http/render.ts";
import { settingRows, settingsActions } from "./actions.ts";
import {
  cashRoundingSteps,
  checkSettings,
  isSettingName,
  keptValue,
  type SettingName,
  type SettingRefusal,
  settingLabel,
  shownKept,
  timeZones,
  typedValue,
  valueInWords,
} from "./rules.ts";

type C = Context<PagesEnv>;

/** The settings on the page, in its order; the currency is shown, not changed (see the page). */
const FIELDS = [
  "store_name",
  "store_address",
  "tax_id",
  "time_zone",
  "receipt_header",
  "receipt_footer",
  "prices_include_tax",
  "cash_rounding",
  "discount_limit",
  "negative_stock",
  "blind_count",
  "return_days",
  "return_max_without_receipt",
  "non_returnable",
  "adjustment_approval",
] as const satisfies readonly (SettingsField & SettingName)[];

/** Some of the page's fields as a person types them. */
type Typed = Partial<Record<SettingsField, string>>;

/**
 * What the page is drawn with: each field's value and what the page says it showed (its hidden `shown_` field, which
 * comes back with the form so that only what the person changed is saved). A field left out is the setting as it is.
 */
type Drawn = { values: Typed; shown: Typed };

const fresh: Drawn = { values: {}, shown: {} };

export function settingsRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const settings = settingsActions(shop);
  const hasLogo = shop.db.query("SELECT 1 FROM settings WHERE key = 'receipt_logo' AND value <> ''");
  /** Every field's setting as it is: as kept, and as a person types it. */
  const now = () => {
    const s = shop.settings();
    const ctx = { currency: s.currency };
    const rows = settingRows(shop.db);
    const kept = Object.fromEntries(FIELDS.map((f) => [f, keptValue(f, s, rows)])) as Record<SettingsField, string>;
    const typed = Object.fromEntries(FIELDS.map((f) => [f, typedValue(f, kept[f], ctx)])) as Record<SettingsField, string>;
    return { kept, typed };
  };

  const page = (c: C, drawn: Drawn, outcome: Pick<SettingsPageProps, "refused" | "saved">, status: 200 | 409 | 422 = 200) => {
    const s = shop.settings();
    const ctx = { currency: s.currency };
    const { typed } = now();
    const values = Object.fromEntries(FIELDS.map((f) => [f, drawn.values[f] ?? typed[f]])) as Record<SettingsField, string>;
    const shown = Object.fromEntries(FIELDS.map((f) => [f, drawn.shown[f] ?? typed[f]])) as Record<SettingsField, string>;
    const steps = cashRoundingSteps(s.currency).map((m) => typedValue("cash_rounding", String(m), ctx));
    return render(
      c,
      <SettingsPage values={values} shown={shown} {...outcome} currency={s.currency} hasLogo={!!hasLogo.get()} timeZones={timeZones} cashSteps={steps} />,
      status,
    );
  };

  app.get("/", (c) => page(c, fresh, {}));

  app.post("/", async (c) => {
    const form = await typedFields(c);
    const ctx = { currency: shop.settings().currency };
    const { values, refused } = checkSettings(FIELDS, form, ctx);
    const shownTyped = Object.fromEntries(FIELDS.flatMap((f) => (form[`shown_${f}`] === undefined ? [] : [[f, form[`shown_${f}`]]]))) as Typed;
    const shown = Object.fromEntries(Object.entries(shownTyped).map(([f, v]) => [f, shownKept(f as SettingsField, v, ctx)])) as Typed;
    const kept = now().kept;
    /** The fields the person changed (a refused one too), but `except` those: typed and drawn from as they were. */
    const theirs = (except: ReadonlySet<SettingsField>): Drawn => {
      const mine = FIELDS.filter((f) => !except.has(f) && (refused[f] !== undefined || (values[f] !== undefined && values[f] !== (shown[f] ?? kept[f]))));
      return { values: pick(form, mine), shown: pick(shownTyped, mine) };
    };

    const refusals = Object.entries(refused) as [SettingsField, SettingRefusal][];
    if (refusals.length > 0) {
      // what was typed is shown again to be put right, save a card number or a control character: never sent back
      const dropped = new Set(refusals.filter(([, r]) => NOT_SHOWN_AGAIN.has(r.code)).map(([f]) => f));
      return page(c, theirs(dropped), { refused: Object.fromEntries(refusals.map(([f, r]) => [f, r.message])) }, 422);
    }
    const user = c.get("user")!;
    const done = settings.change({ userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null }, values, "settings page", shown);
    if ("conflicts" in done) {
      // nothing saved: the settings someone else changed show as they are now, the person's other changes as typed
      const sentences = done.conflicts.map((x) => [
        x.name,
        `Someone changed “${settingLabel(x.name)}” to ${valueInWords(x.name, x.now, ctx)} since you opened this page; check it and save again.`,
      ]);
      return page(c, theirs(new Set(done.conflicts.map((x) => x.name as SettingsField))), { refused: Object.fromEntries(sentences) }, 409);
    }
    shop.reloadSettings();
    const saved = done.changes.map((ch) => ({
      label: settingLabel(ch.name),
      from: valueInWords(ch.name, ch.from, ctx),
      to: valueInWords(ch.name, ch.to, ctx),
    }));
    return page(c, fresh, { saved });
  });
  return app;
}

/** The text-gate refusals a setting's own rule says again in its words; anything else refused stays refused. */
const GATE: ReadonlySet<ProblemCode> = new Set(["text_too_long", "control_character", "unstorable_text", "card_data_refused"]);

/**
 * The form's fields through the text gate. A setting the gate refuses is left to its own rule, which refuses it too
 * (its gate is the same, only tighter) in the sentence the command line gives; anything else refused stays refused —
 * a field sent twice among them, and what the page showed (`shown_…`), which is only compared, never kept.
 */
async function typedFields(c: C): Promise<Record<string, string>> {
  try {
    return await readForm(c);
  } catch (e) {
    const field = e instanceof Problem && GATE.has(e.code) ? (e.details as { field?: string } | undefined)?.field : undefined;
    if (field === undefined || !isSettingName(field) || !(FIELDS as readonly string[]).includes(field)) throw e;
    const body = await c.req.parseBody();
    const out: Record<string, string> = {};
    for (const f of FIELDS) {
      const typed = body[f];
      const shown = body[`shown_${f}`];
      if (typeof typed === "string") out[f] = typed;
      if (typeof shown !== "string") continue;
      const problem = textProblem(shown, "What the page showed", { max: MAX_FORM_FIELD, lines: true });
      if (problem) throw new Problem(problem.code, problem.message, { field: `shown_${f}` });
      out[`shown_${f}`] = shown;
    }
    return out;
  }
}

const NOT_SHOWN_AGAIN: ReadonlySet<ProblemCode> = new Set(["card_data_refused", "control_character", "unstorable_text"]);

/** Those of `fields` that `from` has, to draw again as they were sent. */
function pick(from: Readonly<Record<string, string | undefined>>, fields: readonly SettingsField[]): Typed {
  return Object.fromEntries(fields.flatMap((f) => (from[f] === undefined ? [] : [[f, from[f]]])));
}
