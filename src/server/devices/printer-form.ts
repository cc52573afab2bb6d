// A printer from the Devices form or the command line, checked into a configuration by one zod schema. Its fields
// are checked in the order they stand; the port and baud only for the kinds that use them, last.
import { z } from "zod";
import type { NewPrinter } from "../../hardware/printers/registry.ts";
import { PrinterConfigError } from "../../hardware/printers/registry.ts";
import { refuse as refuseAs } from "../platform/http/form.ts";

/** Refuses the value with the sentence the manager sees after "Not added:". */
const refuse = (ctx: z.core.$RefinementCtx, message: string, path?: string[]): never => refuseAs(ctx, "invalid_printer", message, path);

const WHOLE = /^\d{1,6}$/;

/** Empty is null; else a whole number of up to 6 digits. */
function int(v: string | undefined, name: string, ctx: z.core.$RefinementCtx, path?: string[]): number | null {
  const t = v?.trim() ?? "";
  if (t === "") return null;
  return WHOLE.test(t) ? Number(t) : refuse(ctx, `${name} must be a whole number`, path);
}

/** One of `values`; a missing field is refused too unless the schema gives it a default. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => ((values as readonly string[]).includes(v ?? "") ? (v as T[number]) : refuse(ctx, message)));

/** A whole number that must be one of `allowed`; `fallback` when empty. */
const choice = <const N extends number>(name: string, fallback: N, allowed: readonly N[], message: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): N => {
      const t = v?.trim() ?? "";
      if (t !== "" && !WHOLE.test(t)) return refuse(ctx, `${name} must be a whole number`);
      const n = t === "" ? fallback : Number(t);
      return (allowed as readonly number[]).includes(n) ? (n as N) : refuse(ctx, message);
    });

const text = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim());

export const printerForm = z
  .object({
    kind: oneOf(["network", "usb", "serial", "virtual"], "kind must be network, usb, serial or virtual"),
    flow: oneOf(["none", "rtscts", "xonxoff"], "flow control must be none, rtscts or xonxoff").default("none"),
    language: oneOf(["esc-pos", "star-prnt"], "language must be esc-pos or star-prnt").default("esc-pos"),
    paper_mm: choice("paper width", 80, [58, 80], "paper width must be 58 or 80 (mm)"),
    drawer_pin: choice("drawer pin", 2, [2, 5], "the drawer pin is 2 or 5"),
    registers: z
      .string()
      .optional()
      .transform((v, ctx) =>
        (v ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)
          .map((x) => (/^\d+$/.test(x) ? Number(x) : refuse(ctx, "registers is a list of register numbers like 1,2"))),
      ),
    codepage: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const cp = (v ?? "auto").trim() || "auto";
        return /^[a-z0-9-]{2,20}$/i.test(cp) ? cp : refuse(ctx, "code page is auto or a name like cp858");
      }),
    name: text,
    host: text,
    path: text,
    port: z.string().optional(),
    baud: z.string().optional(),
    default: z.string().optional(),
  })
  .transform((f, ctx): NewPrinter => {
    const { kind } = f;
    return {
      name: f.name,
      kind,
      host: kind === "network" ? f.host || null : null,
      port: kind === "network" ? (int(f.port, "port", ctx, ["port"]) ?? 9100) : null,
      path: kind === "usb" || kind === "serial" ? f.path || null : null,
      baud: kind === "serial" ? (int(f.baud, "baud", ctx, ["baud"]) ?? 9600) : null,
      flow: kind === "serial" ? f.flow : "none",
      language: f.language,
      paperMm: f.paper_mm,
      codepage: f.codepage,
      drawerPin: f.drawer_pin,
      isDefault: f.default === "1" || f.default === "true" || f.default === "on",
      registers: f.registers,
    };
  });

/** The command line's way in: the same schema, its first refusal as a PrinterConfigError. */
export function parsePrinterForm(f: Record<string, string | undefined>): NewPrinter {
  const r = printerForm.safeParse(f);
  if (!r.success) throw new PrinterConfigError(r.error.issues[0]?.message ?? "the printer is not valid");
  return r.data;
}
