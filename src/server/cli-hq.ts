// shopflow hq: head office on PostgreSQL — serve the sync endpoint, register stores.
import { parseArgs } from "node:util";
import { createHqApp } from "../sync/hq/app.ts";
import { migrateHq, openHq } from "../sync/hq/db.ts";
import { addStore } from "../sync/hq/stores.ts";
import { UsageError } from "./usage-error.ts";
import { version } from "./version.ts";

export async function hqCommand(args: string[]): Promise<number> {
  if (args[0] === "store") return storeCommand(args.slice(1));
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
