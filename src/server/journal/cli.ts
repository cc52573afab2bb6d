// shopflow journal verify | key | export: the journal checked from its first entry, the store's public key for head
// office and auditors, and an auditor's file of a period's entries with their hashes and closures.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isCalendarDate } from "../../domain/kernel/calendar.ts";
import { databasePath } from "../compose.ts";
import { openDatabase } from "../db/open.ts";
import { UsageError } from "../platform/usage-error.ts";
import { journalExport } from "./export.ts";
import { journalKeyPath, loadOrMakeJournalKey, publicKeyFrom } from "./keys.ts";
import { verifyJournalFully } from "./verify.ts";

export async function journalCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: "string" },
      "public-key": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      out: { type: "string" },
      format: { type: "string", default: "csv" },
    },
  });
  const dir = dataDir(values);
  if (sub === "key") {
    const key = loadOrMakeJournalKey(journalKeyPath(dir));
    console.log(`The store's journal key (fingerprint ${key.fingerprint}). Send this public key to head office; it checks the closures' signatures:`);
    process.stdout.write(key.publicPem);
    return 0;
  }
  if (sub !== "verify" && sub !== "export") throw new UsageError(`unknown journal command "${sub ?? ""}"; use verify, key or export`);
  const path = databasePath(dir);
  if (!existsSync(path)) throw new UsageError(`there is no store database in ${dir}; give the data folder with --data DIR`);
  const db = openDatabase(path, { readonly: true });
  try {
    if (sub === "verify") return verify(db, dir, values["public-key"]);
    const from = values.from;
    const to = values.to;
    if (!from || !to || !isCalendarDate(from) || !isCalendarDate(to) || from > to)
      throw new UsageError("journal export needs --from and --to as dates YYYY-MM-DD, --from not after --to");
    if (values.format !== "csv" && values.format !== "jsonl") throw new UsageError("--format is csv or jsonl");
    const text = journalExport(db, { from, to, format: values.format });
    if (values.out) {
      writeFileSync(values.out, text.body);
      console.log(`${text.entries} entries (${text.closures} closures) from ${from} to ${to} written to ${values.out}`);
    } else process.stdout.write(text.body);
    return 0;
  } finally {
    db.close();
  }
}

function verify(db: Parameters<typeof verifyJournalFully>[0], dir: string, publicKeyFile: string | undefined): number {
  const keyFile = publicKeyFile ?? journalKeyPath(dir);
  if (publicKeyFile && !existsSync(publicKeyFile)) throw new UsageError(`there is no key file ${publicKeyFile}`);
  const key = existsSync(keyFile) ? publicKeyFrom(readFileSync(keyFile, "utf8")) : null;
  const r = verifyJournalFully(db, key);
  const closures = `${r.closures.day} day, ${r.closures.month} month and ${r.closures.year} year closures`;
  if (r.broken) {
    console.log(`journal BROKEN at entry ${r.broken.seq}: ${r.broken.reason}.`);
    console.log(`Entries 1 to ${r.last.seq} hold (${closures}). Keep this database as it is and tell head office.`);
    return 1;
  }
  console.log(`journal ok: ${r.entries} entries, ${closures}; last hash ${r.last.hash}`);
  if (r.signatures === "not checked") console.log("closure signatures not checked: no key in the data folder (give --public-key FILE)");
  return 0;
}
