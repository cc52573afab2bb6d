// shopflow settings list | set NAME VALUE: the store's name, address and receipt texts, tax and stock rules, checked by
// the same rules as the settings page (settings/rules.ts).
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { openShop } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";
import { type SettingsChanged, settingRows, settingsActions } from "../settings/actions.ts";
import { checkSetting, isSecret, isSettingName, keptValue, settingHelp, settingNames, typedValue, valueInWords } from "../settings/rules.ts";

export async function settingsCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { data: { type: "string" } } });
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const settings = store.settings();
    const ctx = { currency: settings.currency };
    if (sub === "list") {
      const rows = settingRows(store.db);
      for (const name of settingNames) {
        const kept = keptValue(name, settings, rows);
        const shown = isSecret(name) ? (kept ? "(set)" : "") : typedValue(name, kept, ctx);
        console.log(`${name}\t${JSON.stringify(shown)}\t${settingHelp(name)}`);
      }
      return 0;
    }
    if (sub === "set") {
      const [name, raw] = positionals;
      if (!name || !isSettingName(name)) throw new UsageError(`settings set NAME VALUE, where NAME is one of: ${settingNames.join(", ")}`);
      const checked = checkSetting(name, (raw ?? "").replace(/\\n/g, "\n"), ctx);
      if ("refused" in checked) throw new UsageError(checked.refused.message);
      let changed: SettingsChanged;
      try {
        // no page was shown: the value is compared with the setting as it is now
        changed = settingsActions(store).change({ userId: null, userName: null, registerName: null }, { [name]: checked.value }, "command line");
      } catch (e) {
        if (e instanceof Problem) throw new UsageError(e.message);
        throw e;
      }
      const made = "changes" in changed && changed.changes.length > 0;
      console.log(made ? `${name} set to ${valueInWords(name, checked.value, ctx)}` : `${name} is ${valueInWords(name, checked.value, ctx)} already`);
      return 0;
    }
    throw new UsageError(`unknown settings command "${sub ?? ""}"; use list or set`);
  } finally {
    store.close();
  }
}
