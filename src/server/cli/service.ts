// shopflow service install | uninstall: run the store (or head office, --hq) as a systemd service started at boot.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../platform/usage-error.ts";
import { installService, SYSTEM_UNIT_DIR, uninstallService } from "../service/install.ts";

/** Head office's settings the service keeps, when set where `service install --hq` runs. */
const hqSettings = ["SHOPFLOW_HQ_CURRENCY", "SHOPFLOW_HQ_TIME_ZONE", "SHOPFLOW_HQ_ALLOWED_HOSTS"] as const;

export async function serviceCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "install" && sub !== "uninstall") throw new UsageError(`unknown service command "${sub ?? ""}"; use install or uninstall`);
  const { values } = parseArgs({
    args: rest,
    options: {
      user: { type: "string", default: "shopflow" },
      data: { type: "string" },
      port: { type: "string" },
      hq: { type: "boolean", default: false },
      "database-url": { type: "string" },
      "unit-dir": { type: "string", default: SYSTEM_UNIT_DIR },
    },
  });
  const role = values.hq ? "hq" : "store";
  const unitDir = resolve(values["unit-dir"]);
  if (sub === "uninstall") {
    for (const line of uninstallService(role, unitDir).lines) console.log(line);
    return 0;
  }
  const port = Number(values.port ?? (role === "hq" ? 8090 : 8080));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, not "${values.port}"`);
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(values.user)) throw new UsageError(`--user takes a system user name like shopflow, not "${values.user}"`);
  let hqEnvironment: Record<string, string> | undefined;
  if (role === "hq") {
    if (values.data) throw new UsageError("head office keeps its data in PostgreSQL: leave out --data, give --database-url");
    const url = values["database-url"] ?? process.env.SHOPFLOW_HQ_DATABASE_URL;
    if (!url) throw new UsageError("service install --hq needs --database-url postgres://user:password@host:5432/db (or SHOPFLOW_HQ_DATABASE_URL)");
    hqEnvironment = { SHOPFLOW_HQ_DATABASE_URL: url };
    for (const key of hqSettings) if (process.env[key]) hqEnvironment[key] = process.env[key]!;
  } else if (values["database-url"]) {
    throw new UsageError("--database-url is head office's: add --hq to install head office");
  }
  // a service has no working folder of its own: the store's data goes to /var/lib/shopflow unless told otherwise
  const data = resolve(values.data ?? (process.env.SHOPFLOW_DATA || (unitDir === SYSTEM_UNIT_DIR ? "/var/lib/shopflow" : dataDir({}))));
  // systemd reads %, $, quotes and backslashes in a path as its own signs: such a folder is refused, not half-quoted
  if (/[%$"\\\p{Cc}]/u.test(data)) throw new UsageError(`--data: give a folder whose name has no %, $, quotes or backslashes, not "${data}"`);
  const done = installService({ role, user: values.user, port, dataDir: data, unitDir, hqEnvironment });
  for (const line of done.lines) console.log(line);
  return 0;
}
