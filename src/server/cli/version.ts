// shopflow --version [--data DIR]: the program's version, the schema version it writes, and where a data folder's
// database stands against it (read only: nothing is opened for writing, nothing migrated).
import { parseArgs } from "node:util";
import { databasePath } from "../compose.ts";
import { readSchemaVersion, schemaVersion } from "../db/upgrade.ts";
import { version } from "../platform/version.ts";

export function versionCommand(args: string[]): number {
  const { values } = parseArgs({ args, options: { data: { type: "string" } } });
  // the first line stays the bare version, for scripts that read it
  console.log(version);
  console.log(`store database schema ${schemaVersion} (what this binary writes)`);
  if (values.data === undefined) return 0;
  const path = databasePath(values.data);
  let found: number | null;
  try {
    found = readSchemaVersion(path);
  } catch (e) {
    console.log(`${path}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
    return 1;
  }
  if (found === null) console.log(`${path}: no database yet; the first start makes it at schema ${schemaVersion}`);
  else if (found === schemaVersion) console.log(`${path}: schema ${found}, up to date`);
  else if (found < schemaVersion) console.log(`${path}: schema ${found}; this binary upgrades it at its next start, after taking a copy beside it`);
  else console.log(`${path}: schema ${found}, newer than this binary: it refuses to run on it; use the newer shopflow`);
  return 0;
}
