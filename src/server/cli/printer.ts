// shopflow printer add | list | test: set up receipt printers from the command line.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PngError } from "../../hardware/printers/logo.ts";
import { PrinterConfigError } from "../../hardware/printers/registry.ts";
import { openShop } from "../compose.ts";
import { parsePrinterForm } from "../devices/printer-form.ts";
import { address } from "../devices/routes.tsx";
import { UsageError } from "../platform/usage-error.ts";

export async function printerCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      name: { type: "string" },
      kind: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      path: { type: "string" },
      baud: { type: "string" },
      flow: { type: "string" },
      language: { type: "string" },
      paper: { type: "string" },
      codepage: { type: "string" },
      "drawer-pin": { type: "string" },
      registers: { type: "string" },
      default: { type: "boolean", default: false },
    },
  });
  const store = openShop({ dataDir: dataDir(values) });
  try {
    switch (sub) {
      case "add": {
        try {
          const p = store.printing.printers.add(
            parsePrinterForm({
              name: values.name,
              kind: values.kind,
              host: values.host,
              port: values.port,
              path: values.path,
              baud: values.baud,
              flow: values.flow,
              language: values.language,
              paper_mm: values.paper,
              codepage: values.codepage,
              drawer_pin: values["drawer-pin"],
              registers: values.registers,
              default: values.default ? "1" : undefined,
            }),
            store.clock.now().toISOString(),
          );
          console.log(`printer "${p.name}" added: ${p.kind} ${address(p)}${p.isDefault ? " (default)" : ""}`);
          return 0;
        } catch (e) {
          if (e instanceof PrinterConfigError) throw new UsageError(e.message);
          throw e;
        }
      }
      case "list": {
        for (const p of store.printing.printers.list()) {
          console.log(`${p.name}\t${p.kind}\t${address(p)}\t${p.language} ${p.paperMm}mm${p.isDefault ? "\tdefault" : ""}`);
        }
        return 0;
      }
      case "test": {
        const name = positionals[0] ?? values.name;
        const p = name ? store.printing.printers.byName(name) : null;
        if (!p) throw new UsageError(`no printer named "${name ?? ""}"; see 'shopflow printer list'`);
        const id = store.printing.queueTest(p.id, "command line");
        await store.printing.worker.tick();
        const job = store.printing.queue.byId(id)!;
        if (job.state === "printed") {
          console.log(`test page printed on ${p.name}`);
          return 0;
        }
        console.error(
          `test page not printed on ${p.name}: ${job.lastError ?? job.state}. It stays queued and prints when the store server runs and the printer answers.`,
        );
        return 1;
      }
      case "logo": {
        const file = positionals[0];
        if (!file) throw new UsageError("printer logo needs a PNG file: shopflow printer logo logo.png");
        try {
          const size = store.printing.setLogo(new Uint8Array(readFileSync(file)));
          console.log(`receipt logo set (${size.width}×${size.height} pixels, scaled to the paper when printed)`);
          return 0;
        } catch (e) {
          if (e instanceof PngError) throw new UsageError(e.message);
          throw e;
        }
      }
      default:
        throw new UsageError(`unknown printer command "${sub ?? ""}"; use add, list, test or logo`);
    }
  } finally {
    store.close();
  }
}
