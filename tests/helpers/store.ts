// A real store on a real SQLite file in a temp dir, with a settable clock and a small known catalog.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCheckDigit } from "../../src/domain/kernel/barcode.ts";
import type { DeviceRules } from "../../src/hardware/printers/device-rules.ts";
import { createToken } from "../../src/server/api/tokens.ts";
import { createApp } from "../../src/server/app.ts";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { ensureRegister } from "../../src/server/registers/records.ts";

export class TestClock {
  constructor(public current = new Date("2026-11-25T10:00:00.000Z")) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const codes = {
  milk: withCheckDigit("400000000001"),
  bread: withCheckDigit("400000000002"),
  wine: withCheckDigit("400000000003"),
  paper: withCheckDigit("400000000004"),
  apples: withCheckDigit("230001000000"), // weight-embedded base code (prefix 23)
  ham: withCheckDigit("210002000000"), // price-embedded base code (prefix 21)
};

export function seedSmallCatalog(store: Shop): void {
  const at = "2026-11-01T00:00:00.000Z";
  store.db.exec(`
    INSERT INTO tax_classes VALUES ('STD', 'Standard', 2000), ('RED', 'Reduced', 1000), ('ZERO', 'Zero', 0);
    INSERT INTO categories(id, name) VALUES (1, 'Dairy'), (2, 'Bakery'), (3, 'Drinks'), (4, 'Fruit & Vegetables'), (5, 'Deli'), (6, 'Newspapers');
  `);
  const ins = store.db.query(
    "INSERT INTO products(sku, barcode, name, price, tax_class, category_id, stock_milli, weighed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  ins.run("MILK-1L", codes.milk, "Fresh Milk 1 L", 119, "RED", 1, 50_000, 0, at);
  ins.run("BREAD-SOUR", codes.bread, "Sourdough Bread 800 g", 349, "RED", 2, 20_000, 0, at);
  ins.run("WINE-RED", codes.wine, "Rioja Crianza 0.75 L", 1299, "STD", 3, 5_000, 0, at);
  ins.run("PAPER-DAILY", codes.paper, "Daily Newspaper", 250, "ZERO", 6, 100_000, 0, at);
  ins.run("APPLES-KG", codes.apples, "Apples Braeburn (kg)", 299, "RED", 4, 80_000, 1, at);
  ins.run("HAM-PACK", codes.ham, "Jamón Serrano pack", 0, "RED", 5, 10_000, 0, at);
  store.reloadSettings();
}

export type TestStore = {
  store: Shop;
  app: ReturnType<typeof createApp>;
  clock: TestClock;
  dir: string;
  token: string;
  registerId: number;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): void;
};

export function makeTestStore(options: { catalog?: boolean; deviceRules?: DeviceRules } = {}): TestStore {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-test-"));
  const clock = new TestClock();
  const store = openShop({ dataDir: dir, clock, ...(options.deviceRules ? { deviceRules: options.deviceRules } : {}) });
  if (options.catalog !== false) seedSmallCatalog(store);
  const { token, registerId } = createToken(store.db, "Webshop", clock.now().toISOString());
  const app = createApp(store);
  return {
    store,
    app,
    clock,
    dir,
    token,
    registerId,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
      }
      return Promise.resolve(app.request(path, { ...init, headers, body }));
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Counts of every table a sale writes to: "nothing was written" means these did not move. */
export function footprint(store: Shop): Record<string, number> {
  const tables = [
    "sales",
    "sale_events",
    "sale_lines",
    "sale_payments",
    "returns",
    "return_lines",
    "return_refunds",
    "stock_movements",
    "outbox",
    "journal",
    "audit_log",
    "print_jobs",
    "idempotency_keys",
    "vouchers",
    "voucher_movements",
    "stock_reservations",
  ];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = store.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${t}`).get()!.n;
  out.stock = store.db.query<{ s: number }, []>("SELECT sum(stock_milli) AS s FROM products").get()!.s;
  return out;
}

let pinCounter = 1000;

export type SignedIn = { cookie: string; csrf: string; headers: Record<string, string>; registerId: number; userId: number; userName: string; pin: string };

/**
 * A register as a shop runs it: a paired device for "Lane N", a signed-in user of `role` and, unless told otherwise,
 * an open shift with a 100.00 float. Returns the cookies and the CSRF header a browser on that register would send.
 */
export async function signIn(
  store: Shop,
  lane: number,
  options: { role?: "cashier" | "supervisor" | "manager" | "admin"; shift?: boolean; name?: string } = {},
): Promise<SignedIn> {
  const at = store.clock.now().toISOString();
  const role = options.role ?? "cashier";
  const pin = String(++pinCounter + 100000);
  const user = await store.users.add(options.name ?? `${role} ${lane}-${pinCounter}`, role, pin, at);
  const registerId = ensureRegister(store.db, `Lane ${lane}`, at);
  const device = store.sessions.pair(registerId, user.id, at);
  const deviceId = store.sessions.device(device)!.id;
  const session = store.sessions.start(user.id, deviceId, at);
  if (options.shift !== false && !store.shifts.current(registerId)) store.shifts.open(registerId, user.id, 10000, null, at);
  // signed in, a page carries its session's own CSRF token
  const csrf = session.csrf;
  const cookie = `sf_device=${device}; sf_session=${session.cookie}; sf_csrf=${csrf}`;
  return { cookie, csrf, headers: { Cookie: cookie, "X-CSRF-Token": csrf }, registerId, userId: user.id, userName: user.name, pin };
}
