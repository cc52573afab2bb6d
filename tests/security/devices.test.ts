// A printer is a printer: USB and serial paths only from the kernel's printer and serial devices (links followed,
// character devices only), network printers only on the shop's network and on a raw printing port, names plain text.
// Checked when a manager sets a printer up, and again whenever the store opens it.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { onShopNetwork } from "../../src/hardware/printers/device-rules.ts";
import { VIRTUAL_PRINTER } from "../../src/hardware/printers/registry.ts";
import { codes, makeTestStore, type SignedIn, signIn, type TestStore } from "../helpers/store.ts";
import { browserOf, send, state } from "./support.ts";

let t: TestStore;
let manager: SignedIn;
beforeEach(async () => {
  t = makeTestStore();
  manager = await signIn(t.store, 9, { role: "manager", shift: false });
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  t.close();
});

const addPrinter = (fields: Record<string, string>) =>
  send(t, "POST", "/devices/printers", {
    browser: browserOf(manager),
    form: { name: "Back", language: "esc-pos", paper_mm: "80", codepage: "auto", drawer_pin: "2", ...fields },
  });

describe("setting a printer up", () => {
  const refused: [string, Record<string, string>][] = [
    ["a USB path that climbs out of /dev", { kind: "usb", path: "/dev/../tmp/shopflow-evil" }],
    ["a USB path that is a disk", { kind: "usb", path: "/dev/sda" }],
    ["a USB path that is memory", { kind: "usb", path: "/dev/mem" }],
    ["a USB path to a file", { kind: "usb", path: "/etc/profile.d/shopflow.sh" }],
    ["a USB path with a trailing climb", { kind: "usb", path: "/dev/usb/lp0/../../../tmp/x" }],
    ["a serial port that is a terminal of this machine", { kind: "serial", path: "/dev/pts/0" }],
    ["a serial path that is the console", { kind: "serial", path: "/dev/console" }],
    ["a network printer on the internet", { kind: "network", host: "8.8.8.8", port: "9100" }],
    ["a network printer on the SSH port", { kind: "network", host: "192.168.1.50", port: "22" }],
    ["a network printer on a database's port", { kind: "network", host: "127.0.0.1", port: "5432" }],
    ["a network printer at an IPv6 address on the internet", { kind: "network", host: "2001:4860:4860::8888", port: "9100" }],
    ["a name with a line break", { kind: "virtual", name: "Back\necho pwned >> ~/.profile" }],
    ["a name with a printer command in it", { kind: "virtual", name: "Back\u001bp\u0001\u0019" }],
  ];
  for (const [what, fields] of refused) {
    test(`refused with 422 and nothing added: ${what}`, async () => {
      const before = state(t.store).printers;
      const res = await addPrinter(fields);
      expect({ what, status: res.status }).toEqual({ what, status: 422 });
      expect(state(t.store).printers).toBe(before);
    });
  }

  const taken: [string, Record<string, string>][] = [
    ["a USB printer", { kind: "usb", path: "/dev/usb/lp0" }],
    ["a serial port", { kind: "serial", path: "/dev/ttyUSB0", baud: "9600" }],
    ["a serial port by id", { kind: "serial", path: "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0", baud: "9600" }],
    ["a network printer on the shop's LAN", { kind: "network", host: "192.168.1.50", port: "9100" }],
    ["a network printer by name", { kind: "network", host: "epson-tm-t88.local", port: "9100" }],
  ];
  for (const [what, fields] of taken) {
    test(`taken: ${what}`, async () => {
      const res = await addPrinter({ ...fields, name: what });
      expect({ what, status: res.status }).toEqual({ what, status: 303 });
    });
  }
});

describe("opening a printer the database already holds", () => {
  /** A printer row as an older version (or a hand edit) may have left it, then a sale that prints on it. */
  async function sellOn(kind: "usb" | "network", where: { path?: string; host?: string; port?: number }) {
    const p = t.store.printing.printers.add({ ...VIRTUAL_PRINTER, name: "Old" }, t.clock.now().toISOString());
    t.store.db
      .query("UPDATE printers SET kind = ?, path = ?, host = ?, port = ? WHERE id = ?")
      .run(kind, where.path ?? null, where.host ?? null, where.port ?? null, p.id);
    const cashier = browserOf(await signIn(t.store, 1));
    await send(t, "POST", "/register/scan", { browser: cashier, form: { code: codes.milk }, htmx: true });
    expect((await send(t, "POST", "/register/pay", { browser: cashier, form: { method: "card", amount: "1.19" }, htmx: true })).status).toBe(200);
    await t.store.printing.worker.tick();
    return t.store.db.query<{ state: string; last_error: string | null }, []>("SELECT state, last_error FROM print_jobs").get()!;
  }

  test("a path that leads to a plain file is never written, and the job says why", async () => {
    const file = join(t.dir, "startup.sh");
    writeFileSync(file, "#!/bin/sh\n");
    const job = await sellOn("usb", { path: file });
    expect(readFileSync(file, "utf8")).toBe("#!/bin/sh\n");
    expect(job.state).not.toBe("printed");
    expect(job.last_error).toContain("will not print");
  });

  test("a link that looks like a printer but leads to a file is never written", async () => {
    const file = join(t.dir, "notes.txt");
    writeFileSync(file, "keep me");
    const link = join(t.dir, "lp0");
    symlinkSync(file, link);
    const job = await sellOn("usb", { path: link });
    expect(readFileSync(file, "utf8")).toBe("keep me");
    expect(job.last_error).toContain("will not print");
  });

  test("a path that is not there creates nothing", async () => {
    const missing = join(t.dir, "lp7");
    await sellOn("usb", { path: missing });
    expect(existsSync(missing)).toBe(false);
  });

  test("a network printer on a port that is not a printing port is never connected to", async () => {
    let connected = 0;
    const service = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: () => void connected++, data() {} } });
    try {
      const job = await sellOn("network", { host: "127.0.0.1", port: service.port });
      expect(connected).toBe(0);
      expect(job.state).not.toBe("printed");
      expect(job.last_error).toContain(`will not connect to port ${service.port}`);
    } finally {
      service.stop(true);
    }
  });

  test("a network printer outside the shop's network is never connected to", async () => {
    const job = await sellOn("network", { host: "8.8.8.8", port: 9100 });
    expect(job.state).not.toBe("printed");
    expect(job.last_error).toContain("not on the shop's own network");
  });
});

test("the shop's network: private, link-local and loopback addresses, nothing else", () => {
  for (const a of [
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.50",
    "169.254.3.3",
    "127.0.0.1",
    "::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:192.168.0.9",
  ]) {
    expect({ a, shop: onShopNetwork(a) }).toEqual({ a, shop: true });
  }
  for (const a of [
    "8.8.8.8",
    "172.32.0.1",
    "172.15.0.1",
    "192.169.0.1",
    "1.1.1.1",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "localhost",
    "printer.example.com",
  ]) {
    expect({ a, shop: onShopNetwork(a) }).toEqual({ a, shop: false });
  }
});
