#!/usr/bin/env bun
// Entry point of the shopflow binary: the store's command line, with head office as its "hq" command. The two programs
// meet only here, so neither imports the other.
import { runCli } from "./server/cli/index.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  hq: async (args) => (await import("./sync/hq/cli.ts")).hqCommand(args),
});
