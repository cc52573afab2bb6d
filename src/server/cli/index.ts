// The shopflow command line: serve, token, import. Each command opens the store through the composition root.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { createToken, type TokenScope, tokenScopes } from "../api/tokens.ts";
import { createApp, LARGEST_BODY } from "../app.ts";
import { openShop } from "../compose.ts";
import { saveHeadOfficeLink } from "../head-office/link.ts";
import { createLogger, levelFromFlag } from "../platform/log/log.ts";
import { UsageError } from "../platform/usage-error.ts";
import { version } from "../platform/version.ts";

const help = `shopflow ${version} — point of sale for one store

Usage:
  shopflow serve [--data DIR] [--port N] [--host ADDR] [--demo]   run the store server (default port 8080)
        [--hq-url URL --hq-store ID --hq-token TOKEN]            send completed sales to head office (kept in settings)
        [--tls-cert FILE --tls-key FILE]                         serve https (default: the data folder's tls/ when made)
        [--log-level debug|info|warn|error]                      its log: DIR/logs/, rotated (default SHOPFLOW_LOG_LEVEL, info)
  shopflow hq --database-url URL [--port N] [--currency EUR] [--time-zone ZONE] [--trust-proxy] [--allow-host NAME]...
                                                                    run head office on PostgreSQL (default port 8090); it
                                                                    answers to its addresses, localhost, this machine's
                                                                    name and each --allow-host name
        [--log-dir DIR] [--log-level debug|info|warn|error]      its log: DIR, rotated (default: stderr)
  shopflow hq --demo [--data DIR] [--port N]                        try head office on an embedded PostgreSQL (PGlite) with
                                                                    a demo admin and store: evaluation only
  shopflow hq store add --name NAME --database-url URL             register a store; prints its id and token
  shopflow hq user add --name NAME --role admin|catalog|viewer --database-url URL
                                                                    a head-office user; the password is read from stdin
  shopflow hq token create --name NAME [--store ID]... --database-url URL
                                                                    an API token for head office's /api/v1 (printed once),
                                                                    reading only the stores named (none: every store)
  shopflow hq release --file CHANGES.json [--effective-at ISO [--past]] --database-url URL
                                                                    publish catalog changes (tax classes, products, prices)
  shopflow token create --name NAME [--scopes read,sell,admin] [--data DIR]
                                                                    make an API token (printed once, last line)
  shopflow user add --name NAME --role cashier|supervisor|manager|admin --pin PIN [--data DIR]
  shopflow import FILE.csv [--data DIR]                            import products (sku, barcode, name, price,
                                                                    tax class, category, stock, unit/weighed)
  shopflow printer add --name NAME --kind network|usb|serial|virtual [--host H] [--port P] [--path DEV]
                       [--baud B] [--flow none|rtscts|xonxoff] [--language esc-pos|star-prnt] [--paper 58|80]
                       [--codepage auto|cp858...] [--drawer-pin 2|5] [--registers 1,2] [--default] [--data DIR]
  shopflow printer list [--data DIR]
  shopflow printer test NAME [--data DIR]                          print a test page now
  shopflow printer logo FILE.png [--data DIR]                      the logo printed on top of receipts
  shopflow scale set --register N --path DEV [--baud 9600] [--framing 7E1|8N1] [--data DIR]
                                                                    the register's checkout scale (Toledo 8213, in kg)
  shopflow scale clear --register N | list | read --register N [--data DIR]
  shopflow sync status [--data DIR]                                how sending to head office stands
  shopflow sync new-epoch --yes [--reason TEXT] [--data DIR]       a new database epoch, when head office asks for one
  shopflow sync set-token TOKEN [--data DIR]                       the new head-office token, after head office rotated it
  shopflow backup [--to DIR] [--data DIR]                          a checked, compressed copy of the store database, made
                                                                    while the server sells (default: the backup folder setting)
  shopflow restore FILE [--data DIR]                               put a backup back, with the server stopped (the current
                                                                    database is kept aside; head office is told it was restored)
  shopflow settings list | set KEY VALUE [--data DIR]              store name, address, tax id, receipt texts, rules
  shopflow tax-class list | add CODE NAME RATE | set-rate CODE RATE | rename CODE NAME | remove CODE [--data DIR]
                                                                    the store's tax classes (RATE in per cent: 20, 7.5)
  shopflow category list | add NAME | rename OLD NEW | remove NAME [--data DIR]
                                                                    the categories (the register's quick-key tabs)
  shopflow journal verify [--public-key FILE] [--data DIR]        check the journal's chain, closures and signatures
  shopflow journal key [--data DIR]                                the store's public journal key, for head office
  shopflow journal export --from DAY --to DAY [--format csv|jsonl] [--out FILE] [--data DIR]
                                                                    an auditor's file of the journal with its hashes
  shopflow service install [--user U] [--data DIR] [--port N] [--hq [--database-url URL]] [--unit-dir DIR]
                                                                    run ShopFlow as a system service (systemd), started at boot
  shopflow service uninstall [--hq] [--unit-dir DIR]                stop it and remove the service
  shopflow tls init [--name HOST]... [--data DIR]                  a local certificate authority and this PC's certificate:
                                                                    serve then answers on https (install the CA on tablets)
  shopflow --help | --version [--data DIR]                          the version, the database schema it writes (and DIR's)

The data directory defaults to ./data, or SHOPFLOW_DATA when set.
`;

function dataDir(values: { data?: string }): string {
  return values.data ?? process.env.SHOPFLOW_DATA ?? "./data";
}

/** Other programs of the same binary, given by the entry point: head office (the store never imports it). */
export type OtherPrograms = { hq?: (args: string[]) => Promise<number> };

export async function runCli(argv: string[], programs: OtherPrograms = {}): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      console.log(help);
      return 0;
    }
    if (command === "--version" || command === "-v") {
      const { versionCommand } = await import("./version.ts");
      return versionCommand(rest);
    }
    switch (command) {
      case "serve":
        return await serve(rest);
      case "token":
        return token(rest);
      case "import":
        return await importCommand(rest);
      case "user":
        return await userCommand(rest);
      case "hq": {
        if (!programs.hq) throw new UsageError("this build has no head office");
        return await programs.hq(rest);
      }
      case "settings": {
        const { settingsCommand } = await import("./settings.ts");
        return await settingsCommand(rest, dataDir);
      }
      case "tax-class": {
        const { taxClassCommand } = await import("./tax-classes.ts");
        return await taxClassCommand(rest, dataDir);
      }
      case "category": {
        const { categoryCommand } = await import("./categories.ts");
        return await categoryCommand(rest, dataDir);
      }
      case "printer": {
        const { printerCommand } = await import("./printer.ts");
        return await printerCommand(rest, dataDir);
      }
      case "sync": {
        const { syncCommand } = await import("./sync.ts");
        return await syncCommand(rest, dataDir);
      }
      case "journal": {
        const { journalCommand } = await import("../journal/cli.ts");
        return await journalCommand(rest, dataDir);
      }
      case "backup": {
        const { backupCommand } = await import("./backup.ts");
        return await backupCommand(rest, dataDir);
      }
      case "restore": {
        const { restoreCommand } = await import("./backup.ts");
        return await restoreCommand(rest, dataDir);
      }
      case "scale": {
        const { scaleCommand } = await import("./scale.ts");
        return await scaleCommand(rest, dataDir);
      }
      case "service": {
        const { serviceCommand } = await import("./service.ts");
        return await serviceCommand(rest, dataDir);
      }
      case "tls": {
        const { tlsCommand } = await import("./tls.ts");
        return await tlsCommand(rest, dataDir);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`shopflow: ${e.message}\n\n${help}`);
      return 2;
    }
    console.error(`shopflow: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: "string" },
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "0.0.0.0" },
      demo: { type: "boolean", default: false },
      "hq-url": { type: "string" },
      "hq-token": { type: "string" },
      "hq-store": { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "log-level": { type: "string" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  // https with --tls-cert/--tls-key, or with the certificate 'shopflow tls init' left in the data folder (tls/serve.ts)
  const { serveTls } = await import("../tls/serve.ts");
  const tls = await serveTls(dataDir(values), values["tls-cert"], values["tls-key"]);
  // the store's runtime log: JSON lines in the data folder's logs/, rotated (platform/log/log.ts)
  const log = await createLogger({ dir: join(dataDir(values), "logs"), level: levelFromFlag(values["log-level"]) });
  const store = openShop({ dataDir: dataDir(values), log });
  if (values.demo) {
    const { seedDemoCatalog } = await import("../catalog/demo.ts");
    const seeded = seedDemoCatalog(store.db, { now: store.clock.now().toISOString() });
    if (seeded.products > 0) console.log(`demo catalog: ${seeded.products} products`);
    if (store.users.all().length === 0) {
      // a demo store should be tried at once: a manager to pair the browser and a cashier to sell
      const at = store.clock.now().toISOString();
      await store.users.add("Manager", "admin", "1234", at);
      await store.users.add("Cashier", "cashier", "1111", at);
      console.log("demo users: Manager (admin) PIN 1234, Cashier PIN 1111 — pair this browser with the manager's PIN");
    }
    store.reloadSettings();
  }
  const hq = [values["hq-url"], values["hq-token"], values["hq-store"]];
  if (hq.some(Boolean)) {
    if (!hq.every(Boolean)) throw new UsageError("head office needs all three: --hq-url, --hq-store and --hq-token");
    try {
      saveHeadOfficeLink(store.db, { url: values["hq-url"]!, storeId: values["hq-store"]!, token: values["hq-token"]! });
    } catch (e) {
      if (e instanceof Problem) throw new UsageError(e.message);
      throw e;
    }
  }
  const app = createApp(store);
  const server = Bun.serve({
    port,
    hostname: values.host,
    fetch: app.fetch,
    idleTimeout: 60,
    maxRequestBodySize: LARGEST_BODY + 1024,
    ...(tls ? { tls: tls.options } : {}),
  });
  store.start(); // printing, sending to head office, catalog pulls, day totals (compose.ts)
  // the nightly backup, in a worker thread off the registers' path (backups/nightly.ts)
  const backups = store.backups;
  backups.start();
  for (const note of tls?.notes ?? []) console.log(note);
  console.log(
    `ShopFlow ${version} store serving on ${tls ? "https" : "http"}://${values.host === "0.0.0.0" ? "localhost" : values.host}:${server.port} (data: ${dataDir(values)})`,
  );
  log.info("server.started", { msg: `ShopFlow ${version} store serving on port ${server.port}`, version, port: server.port, data: dataDir(values) });
  await new Promise<void>((resolve) => {
    const stop = () => {
      log.info("server.stopping", { msg: "the store server is stopping" });
      server.stop();
      void Promise.all([store.stop(), backups.stop()]).finally(() => {
        store.close();
        void log.close().finally(resolve);
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

function token(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new UsageError(`unknown token command "${sub ?? ""}"; try 'shopflow token create --name NAME'`);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: "string" }, data: { type: "string" }, scopes: { type: "string", default: "read,sell" } },
  });
  if (!values.name?.trim()) throw new UsageError("token create needs --name NAME (the register its sales belong to)");
  const scopes = values.scopes
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (scopes.length === 0 || scopes.some((x) => !(tokenScopes as readonly string[]).includes(x)))
    throw new UsageError("--scopes is a list of read, sell, admin");
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const { token: secret, registerId } = createToken(store.db, values.name.trim(), store.clock.now().toISOString(), scopes as TokenScope[]);
    console.log(`token "${values.name.trim()}" created; its sales belong to register ${registerId}. Keep it safe: it is shown only now.`);
    console.log(secret);
    return 0;
  } finally {
    store.close();
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { importProductsCsv } = await import("../catalog/import.ts");
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("import needs a CSV file: shopflow import products.csv");
  const text = readFileSync(file, "utf8");
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const result = importProductsCsv(store.db, text, { now: store.clock.now().toISOString() });
    for (const r of result.rejected) console.log(`line ${r.line}: ${r.reason}`);
    console.log(`${result.imported} imported, ${result.updated} updated, ${result.rejected.length} rejected`);
    return result.rejected.length > 0 && result.imported + result.updated === 0 ? 1 : 0;
  } finally {
    store.close();
  }
}

async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(`unknown user command "${sub ?? ""}"; try 'shopflow user add --name NAME --role admin --pin PIN'`);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: "string" }, role: { type: "string" }, pin: { type: "string" }, data: { type: "string" } },
  });
  if (!values.name || !values.role || !values.pin) throw new UsageError("user add needs --name, --role and --pin");
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const u = await store.users.add(values.name, values.role, values.pin, store.clock.now().toISOString());
    store.audit.record({
      at: store.clock.now().toISOString(),
      userId: null,
      userName: null,
      action: "user.created",
      subject: u.name,
      detail: { role: u.role, via: "command line" },
    });
    console.log(`user "${u.name}" added as ${u.role}`);
    return 0;
  } catch (e) {
    if (e instanceof Problem) throw new UsageError(e.message);
    throw e;
  } finally {
    store.close();
  }
}
