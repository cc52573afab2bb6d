// shopflow sync set-token TOKEN: the store takes the new token head office gave it (after a rotation there), keeping
// its address and store id. The same action as typing it on the Devices page, audited as the command line's; the
// token itself is never written to the log.
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { openShop } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";

export async function setTokenCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { data: { type: "string" } }, allowPositionals: true });
  const token = positionals[0]?.trim() ?? "";
  if (positionals.length !== 1 || token === "") throw new UsageError("sync set-token needs the token head office showed: shopflow sync set-token TOKEN");
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const link = store.headOffice();
    if (!link) throw new UsageError("this store is not connected to head office: connect it first (Devices page, or serve --hq-url --hq-store --hq-token)");
    try {
      store.devices.linkHeadOffice({ userId: null, userName: null, registerName: "command line" }, { url: link.url, storeId: link.storeId, token });
    } catch (e) {
      if (e instanceof Problem) throw new UsageError(e.message);
      throw e;
    }
    console.log(`new head-office token kept for ${link.url} (store ${link.storeId}); the next exchange uses it`);
    return 0;
  } finally {
    store.close();
  }
}
