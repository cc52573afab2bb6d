// shopflow hq: head office on PostgreSQL — serve the sync endpoint, register stores.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { publishRelease, ReleaseRefused } from "../sync/hq/catalog.ts";
import { createHqApp } from "../sync/hq/app.ts";
import { migrateHq, openHq } from "../sync/hq/db.ts";
import { addStore } from "../sync/hq/stores.ts";
import { UsageError } from "./usage-error.ts";
import { version } from "./version.ts";

export async function hqCommand(args: string[]): Promise<number> {
  if (args[0] === "store") return storeCommand(args.slice(1));
  if (args[0] === "release") return releaseCommand(args.slice(1));
  const { values } = parseArgs({
    args,
    options: { "database-url": { type: "string" }, port: { type: "string", default: "8090" }, host: { type: "string", default: "0.0.0.0" } },
  });
  const url = values["database-url"] ?? process.env.SHOPFLOW_HQ_DATABASE_URL;
  if (!url) throw new UsageError("hq needs --database-url postgres://user@host:5432/db (or SHOPFLOW_HQ_DATABASE_URL)");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const sql = openHq(url);
  await migrateHq(sql);
  const server = Bun.serve({ port, hostname: values.host, fetch: createHqApp(sql, version).fetch, idleTimeout: 120 });
  console.log(`ShopFlow ${version} head office serving on http://${values.host === "0.0.0.0" ? "localhost" : values.host}:${server.port}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.stop();
      void sql.end({ timeout: 5 }).finally(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

async function storeCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(`unknown hq store command "${sub ?? ""}"; try 'shopflow hq store add --name NAME --database-url URL'`);
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, "database-url": { type: "string" } } });
  const url = values["database-url"] ?? process.env.SHOPFLOW_HQ_DATABASE_URL;
  if (!values.name?.trim() || !url) throw new UsageError("hq store add needs --name NAME and --database-url URL");
  const sql = openHq(url);
  try {
    await migrateHq(sql);
    const s = await addStore(sql, values.name.trim());
    console.log(`store "${values.name.trim()}" registered. Start it with: shopflow serve --hq-url URL --hq-store ${s.storeId} --hq-token TOKEN`);
    console.log(`store id: ${s.storeId}`);
    console.log(s.token);
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function releaseCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: "string" }, "effective-at": { type: "string" }, note: { type: "string" }, "database-url": { type: "string" } } });
  const url = values["database-url"] ?? process.env.SHOPFLOW_HQ_DATABASE_URL;
  if (!values.file || !url) throw new UsageError("hq release needs --file CHANGES.json and --database-url URL");
  let changes: unknown;
  try {
    changes = JSON.parse(readFileSync(values.file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${values.file} as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const effectiveAt = values["effective-at"] ? new Date(values["effective-at"]) : new Date();
  if (Number.isNaN(effectiveAt.getTime())) throw new UsageError("--effective-at is a time like 2026-12-01T06:00:00Z");
  const sql = openHq(url);
  try {
    await migrateHq(sql);
    const r = await publishRelease(sql, changes, effectiveAt, values.note ?? "");
    console.log(`catalog release ${r.version} published (${r.changes.products.length} products, ${r.changes.tax_classes.length} tax classes), effective ${r.effective_at}`);
    return 0;
  } catch (e) {
    if (e instanceof ReleaseRefused) throw new UsageError(e.message);
    throw e;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
