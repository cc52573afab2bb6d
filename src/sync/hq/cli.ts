// shopflow hq: head office on PostgreSQL — serve the sync endpoint, dashboard and API; register stores, users, tokens.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { currencyDigits } from "../../domain/kernel/money.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { createLogger, levelFromFlag } from "../../server/platform/log/log.ts";
import { UsageError } from "../../server/platform/usage-error.ts";
import { version } from "../../server/platform/version.ts";
import { createApiToken } from "./api/tokens.ts";
import { createHqApp, LARGEST_HQ_BODY } from "./app.ts";
import { PAST_GRACE_MS } from "./catalog/forms.ts";
import { publishRelease, ReleaseRefused } from "./catalog/releases.ts";
import { type HqSql, migrateHq, openHq } from "./db/db.ts";
import { addUser, isHqRole, MIN_PASSWORD } from "./people/users.ts";
import { adoptHeadOfficeZone } from "./reports/store-hours.ts";
import { addStore } from "./stores/stores.ts";

const databaseUrl = (values: { "database-url"?: string }) => values["database-url"] ?? process.env.SHOPFLOW_HQ_DATABASE_URL;

export async function hqCommand(args: string[]): Promise<number> {
  if (args[0] === "store") return storeCommand(args.slice(1));
  if (args[0] === "release") return releaseCommand(args.slice(1));
  if (args[0] === "user") return userCommand(args.slice(1));
  if (args[0] === "token") return tokenCommand(args.slice(1));
  const { values } = parseArgs({
    args,
    options: {
      "database-url": { type: "string" },
      demo: { type: "boolean", default: false },
      // with --demo: where the embedded database keeps its files (default ./data/hq-demo)
      data: { type: "string" },
      port: { type: "string", default: "8090" },
      host: { type: "string", default: "0.0.0.0" },
      currency: { type: "string", default: process.env.SHOPFLOW_HQ_CURRENCY ?? "EUR" },
      "trust-proxy": { type: "boolean", default: false },
      "log-dir": { type: "string" },
      "log-level": { type: "string" },
      "time-zone": { type: "string", default: process.env.SHOPFLOW_HQ_TIME_ZONE ?? "UTC" },
      "allow-host": {
        type: "string",
        multiple: true,
        default: (process.env.SHOPFLOW_HQ_ALLOWED_HOSTS ?? "")
          .split(",")
          .map((h) => h.trim())
          .filter(Boolean),
      },
    },
  });
  if (values.demo && values["database-url"]) throw new UsageError("--demo runs on its own embedded database; leave out --database-url");
  if (values.data && !values.demo) throw new UsageError("--data is where --demo keeps its embedded database; head office's data is in PostgreSQL");
  const url = databaseUrl(values) ?? "";
  if (!values.demo && !url) throw new UsageError("hq needs --database-url postgres://user@host:5432/db (or SHOPFLOW_HQ_DATABASE_URL), or --demo to try it");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const level = levelFromFlag(values["log-level"]);
  try {
    if (!/^[A-Z]{3}$/.test(values.currency)) throw new RangeError();
    currencyDigits(values.currency);
  } catch {
    throw new UsageError(`--currency is a three-letter ISO code like EUR or USD, not "${values.currency}"`);
  }
  try {
    new Intl.DateTimeFormat("en", { timeZone: values["time-zone"] });
  } catch {
    throw new UsageError(`--time-zone is an IANA time zone like Europe/Berlin, not "${values["time-zone"]}"`);
  }
  const allowedHosts = values["allow-host"];
  const badName = allowedHosts.find((h) => !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/.test(h));
  if (badName !== undefined) throw new UsageError(`--allow-host takes a host name like hq.example.com, not "${badName}"`);
  // loaded only for --demo: production never starts the embedded database
  const demo = values.demo ? await import("./demo/demo.ts") : null;
  const embedded = demo ? await demo.startDemoDatabase(values.data) : null;
  // the embedded database runs one statement at a time: a few connections are all it can use
  const sql = embedded ? openHq(embedded.url, { max: 4 }) : openHq(url);
  // a refused schema (a newer release's) ends the program: its open connections would keep it alive, saying nothing more
  await migrateHq(sql).catch(async (e) => {
    await sql.end({ timeout: 5 });
    await embedded?.stop();
    throw e;
  });
  // stores that never said their zone have their hours on head office's clock (reports/store-hours.ts)
  await adoptHeadOfficeZone(sql, values["time-zone"]);
  const seed = demo ? await demo.seedDemo(sql) : null;
  // head office's log: JSON lines in --log-dir, rotated, else on stderr (server/platform/log/log.ts)
  const logDir = values["log-dir"] ?? process.env.SHOPFLOW_HQ_LOG_DIR;
  const log = await createLogger({ ...(logDir ? { dir: logDir } : {}), level });
  const app = createHqApp(sql, version, { currency: values.currency, trustProxy: values["trust-proxy"], timeZone: values["time-zone"], allowedHosts, log });
  const server = Bun.serve({
    port,
    hostname: values.host,
    fetch: demo ? demo.withEvaluationBanner(app.fetch) : app.fetch,
    idleTimeout: 120,
    maxRequestBodySize: LARGEST_HQ_BODY + 1024,
  });
  const here = `http://${values.host === "0.0.0.0" ? "localhost" : values.host}:${server.port}`;
  console.log(`ShopFlow ${version} head office serving on ${here}${demo ? " (demo: evaluation only)" : ""}`);
  log.info("server.started", { msg: `ShopFlow ${version} head office serving on ${here}`, version, port: server.port });
  if (demo) for (const line of demo.demoInstructions(seed, here)) console.log(line);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.stop();
      void sql
        .end({ timeout: 5 })
        .then(() => embedded?.stop())
        .then(() => log.close())
        .finally(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

/** Open head office, bring its schema up to date, run `fn`, close. */
async function withHq<T>(url: string, fn: (sql: HqSql) => Promise<T>): Promise<T> {
  const sql = openHq(url, { max: 2 });
  try {
    await migrateHq(sql);
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function storeCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(`unknown hq store command "${sub ?? ""}"; try 'shopflow hq store add --name NAME --database-url URL'`);
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, "database-url": { type: "string" } } });
  const url = databaseUrl(values);
  if (!values.name?.trim() || !url) throw new UsageError("hq store add needs --name NAME and --database-url URL");
  const name = values.name.trim();
  const s = await withHq(url, (sql) => addStore(sql, name));
  console.log(`store "${name}" registered. Start it with: shopflow serve --hq-url URL --hq-store ${s.storeId} --hq-token TOKEN`);
  console.log(`store id: ${s.storeId}`);
  console.log(s.token);
  return 0;
}

async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(`unknown hq user command "${sub ?? ""}"; try 'shopflow hq user add --name NAME --role admin --database-url URL'`);
  // no --password: a password on the command line ends up in the shell's history and in ps
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, role: { type: "string" }, "database-url": { type: "string" } } });
  const url = databaseUrl(values);
  if (!values.name?.trim() || !values.role || !url) throw new UsageError("hq user add needs --name NAME, --role admin|catalog|viewer and --database-url URL");
  if (!isHqRole(values.role)) throw new UsageError(`--role is admin, catalog or viewer, not "${values.role}"`);
  const password = await readPassword();
  const u = await withHq(url, (sql) => addUser(sql, { name: values.name!, role: values.role!, password, createdBy: "command line" }));
  console.log(`head-office user "${u.name}" added as ${u.role}`);
  return 0;
}

async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new UsageError(`unknown hq token command "${sub ?? ""}"; try 'shopflow hq token create --name NAME --database-url URL'`);
  const { values } = parseArgs({
    args: rest,
    // --store, once a store: the token reads only those stores, as a person limited to them does (none: every store)
    options: { name: { type: "string" }, store: { type: "string", multiple: true }, "database-url": { type: "string" } },
  });
  const url = databaseUrl(values);
  const name = values.name?.trim() ?? "";
  if (!name || name.length > 60 || !url) throw new UsageError("hq token create needs --name NAME (1 to 60 characters) and --database-url URL");
  const stores = values.store ?? [];
  let t: Awaited<ReturnType<typeof createApiToken>>;
  try {
    t = await withHq(url, (sql) => createApiToken(sql, name, "command line", stores));
  } catch (e) {
    if (!(e instanceof Problem) || e.code !== "store_not_found") throw e;
    const missing = (e.details as { stores?: string[] } | undefined)?.stores ?? stores;
    throw new UsageError(
      `--store ${missing.join(", ")}: no such store is registered at head office (a store's id is printed by 'hq store add' and shown on its page); no token was created`,
    );
  }
  const reach = t.stores === null ? "every store" : `only ${t.stores.length === 1 ? "store" : "stores"} ${t.stores.join(", ")}`;
  console.log(`API token "${t.name}" created for head office's /api/v1, reading ${reach}. Keep it safe: it is shown only now.`);
  console.log(t.secret);
  return 0;
}

async function releaseCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: "string" },
      "effective-at": { type: "string" },
      // a time in the past only when meant, as the dashboard asks ("Yes, in the past")
      past: { type: "boolean", default: false },
      note: { type: "string" },
      "database-url": { type: "string" },
    },
  });
  const url = databaseUrl(values);
  if (!values.file || !url) throw new UsageError("hq release needs --file CHANGES.json and --database-url URL");
  let changes: unknown;
  try {
    changes = JSON.parse(readFileSync(values.file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${values.file} as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const effectiveAt = values["effective-at"] ? new Date(values["effective-at"]) : new Date();
  if (Number.isNaN(effectiveAt.getTime())) throw new UsageError("--effective-at is a time like 2026-12-01T06:00:00Z");
  // takes effect at the stores at once, yet loses, field by field, to every release with a later time: a typo in the year would be silent
  if (effectiveAt.getTime() < Date.now() - PAST_GRACE_MS && !values.past) {
    throw new UsageError(
      `--effective-at ${effectiveAt.toISOString().slice(0, 16).replace("T", " ")} UTC is in the past; nothing was published. Add --past to publish it so, or give a later time.`,
    );
  }
  try {
    const r = await withHq(url, (sql) => publishRelease(sql, changes, effectiveAt, values.note ?? "", "command line"));
    console.log(
      `catalog release ${r.version} published (${r.changes.products.length} products, ${r.changes.tax_classes.length} tax classes), effective ${r.effective_at}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ReleaseRefused) throw new UsageError(e.message);
    throw e;
  }
}

/** The password from a pipe (its first line), or typed at a terminal without echo, twice. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = await Bun.stdin.text();
    const line = text.split(/\r?\n/)[0] ?? "";
    if (!line) throw new UsageError("hq user add reads the password from stdin: printf '%s\\n' \"$PASSWORD\" | shopflow hq user add ...");
    return line;
  }
  const first = await promptHidden(`Password (at least ${MIN_PASSWORD} characters): `);
  const again = await promptHidden("The same password again: ");
  if (first !== again) throw new UsageError("the two passwords differ; nothing was added");
  return first;
}

function promptHidden(label: string): Promise<string> {
  process.stderr.write(label);
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || ch === "\u0004") return finish(new UsageError("cancelled; nothing was added"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}
