// From a printer's configuration to the transport that reaches it. Device and network printers are vetted each time
// they are opened (device-rules.ts): the path must still lead to a printer device, the host must be on the shop's network.
import type { Database } from "bun:sqlite";
import { virtualTransport } from "../virtual/virtual-printer.ts";
import { type DeviceRules, openableDevice, printerAddress } from "./device-rules.ts";
import type { PrinterConfig } from "./registry.ts";
import { serialTransport } from "./serial.ts";
import { tcpTransport } from "./tcp.ts";
import { PrinterError, type Transport } from "./transport.ts";
import { usbLpTransport } from "./usb-lp.ts";

/** A transport made only once its printer's address has passed the rules; a refusal is the error of send and status. */
function vetted(description: string, open: () => Promise<Transport>): Transport {
  let inner: Promise<Transport> | null = null;
  const get = () =>
    (inner ??= open().catch((e) => {
      inner = null; // asked again next time: the printer may be plugged in or set up again
      throw e;
    }));
  return {
    description,
    send: async (bytes) => (await get()).send(bytes),
    status: async () => (await get()).status(),
    close: async () => {
      const t = inner ? await inner.catch(() => null) : null;
      await t?.close();
    },
  };
}

export function transportFactory(db: Database, now: () => string, rules: DeviceRules) {
  return (p: PrinterConfig, jobId: number | null): Transport => {
    switch (p.kind) {
      case "network": {
        const host = p.host ?? "127.0.0.1";
        const port = p.port ?? 9100;
        return vetted(`tcp ${host}:${port}`, async () => {
          if (port < rules.ports.from || port > rules.ports.to) {
            throw new PrinterError(
              "refused",
              `The store will not connect to port ${port}: printers take raw printing on ports ${rules.ports.from} to ${rules.ports.to}. Set the printer up again on the Devices page.`,
            );
          }
          return tcpTransport({ host: await printerAddress(host), port });
        });
      }
      case "usb": {
        const path = p.path ?? "/dev/usb/lp0";
        return vetted(`usb ${path}`, async () => usbLpTransport({ path: openableDevice(path, "usb", rules) }));
      }
      case "serial": {
        const path = p.path ?? "/dev/ttyUSB0";
        return vetted(`serial ${path}`, async () => serialTransport({ path: openableDevice(path, "serial", rules), baud: p.baud ?? 9600, flow: p.flow }));
      }
      case "virtual":
        return virtualTransport(db, p.id, () => jobId, now);
      default: {
        const _exhaustive: never = p.kind;
        throw new Error(`unknown printer kind ${String(_exhaustive)}`);
      }
    }
  };
}
