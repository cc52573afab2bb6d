// The store's printers: configuration rows in SQLite, which printer a register uses, the last status read.

import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { checkPrinterAddress, type DeviceRules, PrinterAddressError } from "./device-rules.ts";
import type { PrinterStatus } from "./transport.ts";

export type PrinterKind = "network" | "usb" | "serial" | "virtual";
export type Flow = "none" | "rtscts" | "xonxoff";

export type PrinterConfig = {
  id: number;
  name: string;
  kind: PrinterKind;
  host: string | null;
  port: number | null;
  path: string | null;
  baud: number | null;
  flow: Flow;
  language: "esc-pos" | "star-prnt";
  paperMm: 58 | 80;
  codepage: string;
  drawerPin: 2 | 5;
  isDefault: boolean;
  registers: number[];
  status: (PrinterStatus & { at: string }) | null;
};

export type NewPrinter = Omit<PrinterConfig, "id" | "status" | "registers" | "isDefault"> & { isDefault?: boolean; registers?: number[] };

/** The built-in virtual printer as a new store gets it: ESC/POS on 80 mm paper, code pages picked per character, the default. */
export const VIRTUAL_PRINTER: Readonly<NewPrinter> = {
  name: "Virtual printer",
  kind: "virtual",
  host: null,
  port: null,
  path: null,
  baud: null,
  flow: "none",
  language: "esc-pos",
  paperMm: 80,
  codepage: "auto",
  drawerPin: 2,
  isDefault: true,
};

type Row = {
  id: number;
  name: string;
  kind: PrinterKind;
  host: string | null;
  port: number | null;
  path: string | null;
  baud: number | null;
  flow: Flow;
  language: "esc-pos" | "star-prnt";
  paper_mm: 58 | 80;
  codepage: string;
  drawer_pin: 2 | 5;
  is_default: number;
  registers: string;
  status: string | null;
  status_at: string | null;
};

function toConfig(r: Row): PrinterConfig {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    host: r.host,
    port: r.port,
    path: r.path,
    baud: r.baud,
    flow: r.flow,
    language: r.language,
    paperMm: r.paper_mm,
    codepage: r.codepage,
    drawerPin: r.drawer_pin,
    isDefault: r.is_default === 1,
    registers: JSON.parse(r.registers) as number[],
    status: r.status && r.status_at ? { ...(JSON.parse(r.status) as PrinterStatus), at: r.status_at } : null,
  };
}

/** A printer set up wrong, in words for the manager. */
export class PrinterConfigError extends Problem {
  constructor(message: string) {
    super("invalid_printer", message);
  }
}

export function printerRegistry(db: Database, rules: DeviceRules) {
  const all = db.query<Row, []>("SELECT * FROM printers ORDER BY name");
  const byId = db.query<Row, [number]>("SELECT * FROM printers WHERE id = ?");
  const byName = db.query<Row, [string]>("SELECT * FROM printers WHERE name = ?");
  const setStatus = db.query("UPDATE printers SET status = ?, status_at = ? WHERE id = ?");

  return {
    list: () => all.all().map(toConfig),
    byId: (id: number) => {
      const r = byId.get(id);
      return r ? toConfig(r) : null;
    },
    byName: (name: string) => {
      const r = byName.get(name);
      return r ? toConfig(r) : null;
    },
    /** The printer a register prints on: one assigned to it, else the default, else none. */
    forRegister(registerId: number): PrinterConfig | null {
      const printers = all.all().map(toConfig);
      return (
        printers.find((p) => p.registers.includes(registerId)) ??
        printers.find((p) => p.isDefault && p.registers.length === 0) ??
        printers.find((p) => p.isDefault) ??
        null
      );
    },
    add(p: NewPrinter, at: string): PrinterConfig {
      validate(p, rules);
      return db
        .transaction(() => {
          if (byName.get(p.name)) throw new PrinterConfigError(`a printer named "${p.name}" exists already`);
          if (p.isDefault) db.exec("UPDATE printers SET is_default = 0");
          const first = all.all().length === 0;
          db.query(`INSERT INTO printers(name, kind, host, port, path, baud, flow, language, paper_mm, codepage, drawer_pin, is_default, registers, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
            p.name,
            p.kind,
            p.host,
            p.port,
            p.path,
            p.baud,
            p.flow,
            p.language,
            p.paperMm,
            p.codepage,
            p.drawerPin,
            p.isDefault || first ? 1 : 0,
            JSON.stringify(p.registers ?? []),
            at,
          );
          return toConfig(byName.get(p.name)!);
        })
        .immediate();
    },
    remove(id: number): void {
      db.transaction(() => {
        db.query("DELETE FROM virtual_prints WHERE printer_id = ?").run(id);
        db.query("UPDATE print_jobs SET state = 'failed', last_error = 'printer removed' WHERE printer_id = ? AND state = 'queued'").run(id);
        const used = db.query("SELECT 1 FROM print_jobs WHERE printer_id = ? LIMIT 1").get(id);
        if (used) throw new PrinterConfigError("this printer has printed jobs on record; make another printer the default instead of removing it");
        db.query("DELETE FROM printers WHERE id = ?").run(id);
      }).immediate();
    },
    makeDefault(id: number): void {
      db.transaction(() => {
        db.exec("UPDATE printers SET is_default = 0");
        db.query("UPDATE printers SET is_default = 1 WHERE id = ?").run(id);
      }).immediate();
    },
    recordStatus(id: number, status: PrinterStatus, at: string): void {
      setStatus.run(JSON.stringify(status), at, id);
    },
    /** A new store prints on the built-in virtual printer until a real one is added. */
    ensureVirtual(at: string): void {
      if (all.all().length === 0) this.add(VIRTUAL_PRINTER, at);
    },
  };
}

export type PrinterRegistry = ReturnType<typeof printerRegistry>;

function validate(p: NewPrinter, rules: DeviceRules): void {
  if (!p.name.trim() || p.name.length > 60) throw new PrinterConfigError("a printer needs a name of 1 to 60 characters");
  const problem = textProblem(p.name, "the printer's name", { max: 60 });
  if (problem) throw new PrinterConfigError(problem.message.replace(/\.$/, ""));
  if (p.kind === "network") {
    if (!p.host || !/^[A-Za-z0-9.\-:[\]]{1,253}$/.test(p.host))
      throw new PrinterConfigError("a network printer needs a host: its IP address or name on the shop network");
    if (p.port !== null && (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535))
      throw new PrinterConfigError("the port must be from 1 to 65535 (raw printing is usually 9100)");
  }
  if ((p.kind === "usb" || p.kind === "serial") && !p.path) {
    throw new PrinterConfigError(`a ${p.kind} printer needs a device path, e.g. ${p.kind === "usb" ? "/dev/usb/lp0" : "/dev/ttyUSB0"}`);
  }
  try {
    checkPrinterAddress(p, rules);
  } catch (e) {
    if (e instanceof PrinterAddressError) throw new PrinterConfigError(e.message);
    throw e;
  }
  if (p.kind === "serial" && p.baud !== null && ![9600, 19200, 38400, 57600, 115200].includes(p.baud)) {
    throw new PrinterConfigError("the baud rate must be 9600, 19200, 38400, 57600 or 115200");
  }
}
