#!/usr/bin/env bun
// Entry point of the shopflow binary.
import { runCli } from "./server/cli/index.ts";

process.exitCode = await runCli(process.argv.slice(2));
