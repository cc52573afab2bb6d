// shopflow settings list | set KEY VALUE: the store's name, address and receipt texts, tax and stock rules.
import { parseArgs } from "node:util";
import { textProblem } from "../../domain/kernel/text.ts";
import { openShop } from "../compose.ts";
import { linkChecks } from "../head-office/link.ts";
import { UsageError } from "../platform/usage-error.ts";
import { writeSetting } from "../settings/settings.ts";

/** The settings a manager may change, each with a check and a sentence on what it takes. */
const editable: Record<string, { help: string; ok: (v: string) => boolean; secret?: boolean; lines?: boolean }> = {
  store_name: { help: "the name on receipts and pages", ok: (v) => v.trim().length > 0 && v.length <= 60 },
  store_address: { lines: true, help: "address lines, separated by '\\n'", ok: (v) => v.length <= 300 },
  tax_id: { help: "the tax number printed on receipts", ok: (v) => v.length <= 40 },
  receipt_header: { lines: true, help: "lines above the items, separated by '\\n'", ok: (v) => v.length <= 300 },
  receipt_footer: { lines: true, help: "lines at the end of the receipt, separated by '\\n'", ok: (v) => v.length <= 300 },
  currency: { help: "ISO 4217 code, e.g. EUR, GBP, USD", ok: (v) => /^[A-Z]{3}$/.test(v) },
  time_zone: {
    help: "IANA time zone, e.g. Europe/Berlin",
    ok: (v) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: v });
        return true;
      } catch {
        return false;
      }
    },
  },
  prices_include_tax: { help: "1 when shelf prices include tax (EU), 0 when tax is added at the till (US)", ok: (v) => v === "0" || v === "1" },
  cash_rounding: { help: "round cash totals to this many minor units, e.g. 5; 1 for none", ok: (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1 },
  negative_stock: { help: "allow, warn or block", ok: (v) => ["allow", "warn", "block"].includes(v) },
  blind_count: { help: "1: cashiers count the drawer before they see what it should hold; 0: they see it", ok: (v) => v === "0" || v === "1" },
  hq_url: { help: "head office's address, e.g. https://hq.example.com (empty: not connected)", ok: (v) => v === "" || linkChecks.hq_url(v) },
  hq_store_id: { help: "this store's id at head office (from 'shopflow hq store add')", ok: (v) => v === "" || linkChecks.hq_store_id(v) },
  hq_token: { help: "this store's secret head-office token (from 'shopflow hq store add')", ok: (v) => v === "" || linkChecks.hq_token(v), secret: true },
  allowed_hosts: {
    help: "names the store's pages answer to besides its IP addresses, localhost and this machine's name, comma-separated, e.g. pos.shop.lan",
    ok: (v) =>
      v
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean)
        .every((h) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/.test(h) && h.length <= 253),
  },
  discount_limit_bp: { help: "discounts above this many basis points need a manager (1000 = 10 %)", ok: (v) => /^\d{1,5}$/.test(v) && Number(v) <= 10000 },
};

export async function settingsCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { data: { type: "string" } } });
  const store = openShop({ dataDir: dataDir(values) });
  try {
    if (sub === "list") {
      const rows = new Map(
        store.db
          .query<{ key: string; value: string }, []>("SELECT key, value FROM settings")
          .all()
          .map((r) => [r.key, r.value]),
      );
      for (const [key, e] of Object.entries(editable)) {
        const value = rows.get(key) ?? null;
        console.log(`${key}\t${e.secret && value ? '"(set)"' : JSON.stringify(value)}\t${e.help}`);
      }
      return 0;
    }
    if (sub === "set") {
      const [key, raw] = positionals;
      const e = key ? editable[key] : undefined;
      if (!key || !e) throw new UsageError(`settings set KEY VALUE, where KEY is one of: ${Object.keys(editable).join(", ")}`);
      const value = (raw ?? "").replace(/\\n/g, "\n");
      const problem = textProblem(value, key, { max: 1000, lines: e.lines === true });
      if (problem) throw new UsageError(problem.message);
      if (!e.ok(value)) throw new UsageError(`${key} takes ${e.help}`);
      writeSetting(store.db, key, value);
      store.audit.record({
        at: store.clock.now().toISOString(),
        userId: null,
        userName: null,
        action: "settings.changed",
        subject: key,
        detail: { value: e.secret ? "(secret)" : value, via: "command line" },
      });
      console.log(`${key} set`);
      return 0;
    }
    throw new UsageError(`unknown settings command "${sub ?? ""}"; use list or set`);
  } finally {
    store.close();
  }
}
