// shopflow sync status | new-epoch: how sending to head office stands, and a new database epoch when head office asks
// for one (the same action as the Devices page's, audited as the command line's).
import { parseArgs } from "node:util";
import { openShop } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";
import { setTokenCommand } from "./hq-token.ts";

export async function syncCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "set-token") return setTokenCommand(rest, dataDir);
  const { values } = parseArgs({ args: rest, options: { data: { type: "string" }, reason: { type: "string" }, yes: { type: "boolean" } } });
  if (sub !== "status" && sub !== "new-epoch") throw new UsageError(`unknown sync command "${sub ?? ""}"; use status, new-epoch or set-token`);
  const store = openShop({ dataDir: dataDir(values) });
  try {
    if (sub === "status") {
      const s = store.sync.status();
      const link = store.headOffice();
      console.log(`head office\t${link ? `${link.url} (store ${link.storeId})` : "not connected"}`);
      console.log(`installation\t${s.installationId ?? ""}`);
      console.log(`epoch\t${s.epoch}${s.previousEpoch ? ` (before: ${s.previousEpoch}, ${s.epochReason ?? ""})` : ""}`);
      console.log(`waiting\t${s.pending} (sent through ${s.ackedSeq} of ${s.lastSeq})`);
      return 0;
    }
    // a new epoch makes the store send everything again once head office accepts it: said on purpose, never by accident
    if (!values.yes) throw new UsageError("sync new-epoch starts a new database epoch, only when head office asks for it: run it again with --yes");
    const reason = (values.reason ?? "").trim() || "asked for by head office (command line)";
    if (reason.length > 200 || !reason.isWellFormed() || /\p{Cc}/u.test(reason)) throw new UsageError("--reason is a sentence of at most 200 characters");
    const e = store.devices.startNewEpoch({ userId: null, userName: null, registerName: "command line" }, reason);
    console.log(`new epoch ${e.epoch} (was ${e.previousEpoch}): once head office accepts it, ${e.items} items are sent again (${e.unsent} not sent before)`);
    return 0;
  } finally {
    store.close();
  }
}
