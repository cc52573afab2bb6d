// Where a printer may be: a device path the kernel gives receipt printers and serial ports (resolved, and a character
// device), or a raw-printing port on the shop's own network. Checked when a printer is set up and again each time the
// store opens it, so neither a path like /dev/../home/x nor a link swapped afterwards makes the store write a file, and
// a "network printer" cannot point the store at a host on the internet or a service on another port.

import { lookup } from "node:dns/promises";
import { realpathSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { Problem } from "../../domain/kernel/problem.ts";
import { PrinterError } from "./transport.ts";

export type DeviceRules = {
  /** Paths a manager may type for each kind (a link is followed before it is judged). */
  paths: { usb: RegExp[]; serial: RegExp[] };
  /** Where a path must lead once every link is followed: the device itself. */
  devices: { usb: RegExp[]; serial: RegExp[] };
  /** Raw-printing ports a network printer may listen on. */
  ports: { from: number; to: number };
};

/** The rules of a real shop: USB printer class devices, serial ports, and JetDirect ports 9100–9109. */
export const shopDeviceRules: DeviceRules = {
  paths: {
    usb: [/^\/dev\/usb\/lp\d{1,3}$/],
    serial: [/^\/dev\/tty(S|USB|ACM)\d{1,3}$/, /^\/dev\/serial\/by-(id|path)\/[A-Za-z0-9._:+-]{1,200}$/],
  },
  devices: {
    usb: [/^\/dev\/usb\/lp\d{1,3}$/],
    serial: [/^\/dev\/tty(S|USB|ACM)\d{1,3}$/],
  },
  ports: { from: 9100, to: 9109 },
};

/** A problem with a printer's address, in words for the manager. */
export class PrinterAddressError extends Problem {
  constructor(message: string) {
    super("invalid_printer", message);
  }
}

/** Checked when a printer is set up: the path as typed (its device may be unplugged now) or the host and port. */
export function checkPrinterAddress(p: { kind: string; host: string | null; port: number | null; path: string | null }, rules: DeviceRules): void {
  if (p.kind === "usb" || p.kind === "serial") {
    const kind = p.kind;
    const path = p.path ?? "";
    const example = kind === "usb" ? "/dev/usb/lp0" : "/dev/ttyUSB0, /dev/ttyS0 or /dev/ttyACM0";
    if (!rules.paths[kind].some((r) => r.test(path))) {
      throw new PrinterAddressError(
        `a ${kind} printer's path is a ${kind === "usb" ? "USB printer" : "serial port"} device such as ${example}; "${path.slice(0, 80)}" is not one`,
      );
    }
    // a link (e.g. /dev/serial/by-id/...) must lead to such a device when it is there now
    let real: string | null = null;
    try {
      real = realpathSync(path);
    } catch {
      real = null; // unplugged: checked again when the store opens it
    }
    if (real !== null && !rules.devices[kind].some((r) => r.test(real))) {
      throw new PrinterAddressError(`${path} leads to ${real}, which is not a ${kind === "usb" ? "USB printer" : "serial port"} device`);
    }
  }
  if (p.kind === "network") {
    const port = p.port ?? 9100;
    if (port < rules.ports.from || port > rules.ports.to) {
      throw new PrinterAddressError(
        `a network printer listens on a raw printing port from ${rules.ports.from} to ${rules.ports.to} (usually 9100), not ${port}`,
      );
    }
    const host = unbracket(p.host ?? "");
    if (isIP(host) && !onShopNetwork(host)) {
      throw new PrinterAddressError(`${host} is not an address on the shop's own network (10.x, 172.16–31.x, 192.168.x, link-local or this machine)`);
    }
  }
}

/**
 * Checked each time the store opens a device printer: the path, every link followed, is an allowed device and a
 * character device. Returns the device to open.
 */
export function openableDevice(path: string, kind: "usb" | "serial", rules: DeviceRules): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return path; // not there: the transport says the printer is unplugged, and creates nothing
  }
  const refused = (why: string) => new PrinterError("refused", `The store will not print to ${path}: ${why}. Set the printer up again on the Devices page.`);
  if (!rules.devices[kind].some((r) => r.test(real)))
    throw refused(`it leads to ${real}, which is not a ${kind === "usb" ? "USB printer" : "serial port"} device`);
  let isDevice = false;
  try {
    isDevice = statSync(real).isCharacterDevice();
  } catch {
    return path;
  }
  if (!isDevice) throw refused(`${real} is not a device`);
  return real;
}

/** The address to connect to for a network printer: the host, or what its name resolves to, on the shop's network only. */
export async function printerAddress(host: string): Promise<string> {
  const bare = unbracket(host);
  const refused = (address: string) =>
    new PrinterError("refused", `The store will not connect to ${host}${address !== bare ? ` (${address})` : ""}: it is not on the shop's own network.`);
  if (isIP(bare)) {
    if (!onShopNetwork(bare)) throw refused(bare);
    return bare;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(bare, { all: true });
  } catch {
    throw new PrinterError("offline", `The printer's name ${host} is not known on the network: check the name, or use its IP address.`);
  }
  const outside = addresses.find((a) => !onShopNetwork(a.address));
  if (outside || addresses.length === 0) throw refused(outside?.address ?? bare);
  return addresses[0]!.address;
}

const unbracket = (h: string) => (h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);

/** Private (RFC 1918, unique local), link-local and loopback addresses: where a shop's printers are. */
export function onShopNetwork(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (kind === 6) {
    const v6 = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
    if (mapped) return onShopNetwork(mapped[1]!);
    if (v6 === "::1") return true;
    const first = parseInt(v6.split(":")[0] || "0", 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  return false;
}
