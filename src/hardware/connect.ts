// From a printer's configuration to the transport that reaches it.
import type { Database } from "bun:sqlite";
import type { PrinterConfig } from "./printers.ts";
import { serialTransport } from "./serial.ts";
import { tcpTransport } from "./tcp.ts";
import type { Transport } from "./transport.ts";
import { usbLpTransport } from "./usb-lp.ts";
import { virtualTransport } from "./virtual.ts";

export function transportFactory(db: Database, now: () => string) {
  return (p: PrinterConfig, jobId: number | null): Transport => {
    switch (p.kind) {
      case "network":
        return tcpTransport({ host: p.host ?? "127.0.0.1", port: p.port ?? 9100 });
      case "usb":
        return usbLpTransport({ path: p.path ?? "/dev/usb/lp0" });
      case "serial":
        return serialTransport({ path: p.path ?? "/dev/ttyUSB0", baud: p.baud ?? 9600, flow: p.flow });
      case "virtual":
        return virtualTransport(db, p.id, () => jobId, now);
      default: {
        const _exhaustive: never = p.kind;
        throw new Error(`unknown printer kind ${String(_exhaustive)}`);
      }
    }
  };
}
