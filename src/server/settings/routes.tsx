// Store settings for managers (/settings): the form with the settings as they are; saved all at once, with what changed.
import type { Context } from "hono";
import { Hono } from "hono";
import { Problem, type ProblemCode } from "../../domain/kernel/problem.ts";
import { type SettingsField, SettingsPage, type SettingsPageProps } from "../../views/settings/page.tsx";
import type { Shop } from "../compose.ts";
import type { PagesEnv } from "../people/guard.ts";
import { requireRole } from "../people/guard.ts";
import { readForm } from "../platform/http/form.ts";
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
] as const satisfies readonly (SettingsField & SettingName)[];

export function settingsRoutes(shop: Shop) {
  const app = new Hono<PagesEnv>();
  app.use(requireRole("manager"));
  const settings = settingsActions(shop);
  const hasLogo = shop.db.query("SELECT 1 FROM settings WHERE key = 'receipt_logo' AND value <> ''");

  const page = (c: C, shown: Partial<Record<SettingsField, string>>, outcome: Pick<SettingsPageProps, "refused" | "saved">, status: 200 | 422 = 200) => {
    const s = shop.settings();
    const ctx = { currency: s.currency };
    const rows = settingRows(shop.db);
    const values = Object.fromEntries(FIELDS.map((f) => [f, shown[f] ?? typedValue(f, keptValue(f, s, rows), ctx)])) as Record<SettingsField, string>;
    const steps = cashRoundingSteps(s.currency).map((m) => typedValue("cash_rounding", String(m), ctx));
    return render(
      c,
      <SettingsPage values={values} {...outcome} currency={s.currency} hasLogo={!!hasLogo.get()} timeZones={timeZones} cashSteps={steps} />,
      status,
    );
  };

  app.get("/", (c) => page(c, {}, {}));

  app.post("/", async (c) => {
    const typed = await typedFields(c);
    const ctx = { currency: shop.settings().currency };
    const checked = checkSettings(FIELDS, typed, ctx);
    if ("refused" in checked) {
      const refusals = Object.entries(checked.refused) as [SettingsField, SettingRefusal][];
      const refused = Object.fromEntries(refusals.map(([f, r]) => [f, r.message]));
      // what was typed is shown again to be put right, save a card number or a control character: never sent back
      const shown = pick(typed, new Set(refusals.filter(([, r]) => NOT_SHOWN_AGAIN.has(r.code)).map(([f]) => f)));
      return page(c, shown, { refused }, 422);
    }
    const user = c.get("user")!;
    const changes = settings.change(
      { userId: user.id, userName: user.name, registerName: c.get("device")?.registerName ?? null },
      checked.values,
      "settings page",
    );
    shop.reloadSettings();
    const saved = changes.map((ch) => ({ label: settingLabel(ch.name), from: valueInWords(ch.name, ch.from, ctx), to: valueInWords(ch.name, ch.to, ctx) }));
    return page(c, {}, { saved });
  });
  return app;
}

/**
 * The form's fields through the text gate. A setting the gate refuses is left to its own rule, which refuses it too
 * (its gate is the same, only tighter) in the sentence the command line gives; anything else refused stays refused.
 */
async function typedFields(c: C): Promise<Record<string, string>> {
  try {
    return await readForm(c);
  } catch (e) {
    const field = e instanceof Problem ? (e.details as { field?: string } | undefined)?.field : undefined;
    if (field === undefined || !isSettingName(field) || !(FIELDS as readonly string[]).includes(field)) throw e;
    const body = await c.req.parseBody();
    return Object.fromEntries(FIELDS.flatMap((f) => (typeof body[f] === "string" ? [[f, body[f]]] : [])));
  }
}

const NOT_SHOWN_AGAIN: ReadonlySet<ProblemCode> = new Set(["card_data_refused", "control_character", "unstorable_text"]);

/** What was typed into the page's fields, to show again beside their sentences; those left out show what is kept. */
function pick(typed: Record<string, string>, leftOut: ReadonlySet<SettingsField>): Partial<Record<SettingsField, string>> {
  return Object.fromEntries(FIELDS.flatMap((f) => (typed[f] === undefined || leftOut.has(f) ? [] : [[f, typed[f]]])));
}
