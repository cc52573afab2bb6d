// A printer from the Devices form or the command line, checked into a configuration.
import type { Flow, NewPrinter, PrinterKind } from "../../hardware/printers/registry.ts";
import { PrinterConfigError } from "../../hardware/printers/registry.ts";

const kinds: PrinterKind[] = ["network", "usb", "serial", "virtual"];
const flows: Flow[] = ["none", "rtscts", "xonxoff"];

function int(v: string | undefined, name: string): number | null {
  if (v === undefined || v.trim() === "") return null;
  if (!/^\d{1,6}$/.test(v.trim())) throw new PrinterConfigError(`${name} must be a whole number`);
  return Number(v.trim());
}

export function parsePrinterForm(f: Record<string, string | undefined>): NewPrinter {
  const kind = (f.kind ?? "") as PrinterKind;
  if (!kinds.includes(kind)) throw new PrinterConfigError("kind must be network, usb, serial or virtual");
  const flow = (f.flow ?? "none") as Flow;
  if (!flows.includes(flow)) throw new PrinterConfigError("flow control must be none, rtscts or xonxoff");
  const language = f.language === "star-prnt" ? "star-prnt" : f.language === undefined || f.language === "esc-pos" ? "esc-pos" : null;
  if (!language) throw new PrinterConfigError("language must be esc-pos or star-prnt");
  const paper = int(f.paper_mm, "paper width") ?? 80;
  if (paper !== 58 && paper !== 80) throw new PrinterConfigError("paper width must be 58 or 80 (mm)");
  const pin = int(f.drawer_pin, "drawer pin") ?? 2;
  if (pin !== 2 && pin !== 5) throw new PrinterConfigError("the drawer pin is 2 or 5");
  const registers = (f.registers ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      if (!/^\d+$/.test(x)) throw new PrinterConfigError("registers is a list of register numbers like 1,2");
      return Number(x);
    });
  const codepage = (f.codepage ?? "auto").trim() || "auto";
  if (!/^[a-z0-9-]{2,20}$/i.test(codepage)) throw new PrinterConfigError("code page is auto or a name like cp858");
  return {
    name: (f.name ?? "").trim(),
    kind,
    host: kind === "network" ? (f.host ?? "").trim() || null : null,
    port: kind === "network" ? (int(f.port, "port") ?? 9100) : null,
    path: kind === "usb" || kind === "serial" ? (f.path ?? "").trim() || null : null,
    baud: kind === "serial" ? (int(f.baud, "baud") ?? 9600) : null,
    flow: kind === "serial" ? flow : "none",
    language,
    paperMm: paper,
    codepage,
    drawerPin: pin,
    isDefault: f.default === "1" || f.default === "true" || f.default === "on",
    registers,
  };
}
