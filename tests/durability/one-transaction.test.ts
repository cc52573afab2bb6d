// One person's action is one transaction: a store killed (SIGKILL) after any of the statements a multi-write action
// makes — no sale, price override, cash out, shift close, a return, an exchange, a delivery, a store credit spent — is found afterwards
// with all of the action or none of it:
// never a drawer opened without its audit row, a price changed without who approved, a shift closed without its report.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { codes, type SignedIn, seedSmallCatalog, signIn } from "../helpers/store.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-one-tx-"));
const prepared = join(root, "prepared");
let cashier: SignedIn;
let manager: SignedIn;
let soldSaleId = "";
let creditCode = "";

beforeAll(async () => {
  // a store as it stands mid-shift: a manager, a cashier on Lane 1 with an open shift and a sale of one bottle of wine
  const shop = openShop({ dataDir: prepared });
  try {
    seedSmallCatalog(shop);
    manager = await signIn(shop, 9, { role: "manager", shift: false, name: "Maria" });
    cashier = await signIn(shop, 1);
    // a sale of two milks completed earlier on Lane 1, for the return
    soldSaleId = shop.checkout.sell(cashier.registerId, [{ barcode: codes.milk, qty: 2 }], [{ method: "cash", amount: 500 }]).sale.id;
    // a store credit of 1.19 from a bread returned earlier, for paying with it
    const bread = shop.checkout.sell(cashier.registerId, [{ barcode: codes.bread }], [{ method: "cash", amount: 349 }]).sale.id;
    const who = { userId: cashier.userId, userName: cashier.userName, registerId: cashier.registerId, registerName: "Lane 1" };
    const credit = shop.returns.complete(
      who,
      { saleId: bread, lines: [{ lineNo: 1, qtyMilli: 1000 }], reasonCode: "changed_mind", refunds: "store_credit" },
      null,
    );
    creditCode = credit.refunds.find((r) => r.voucher)!.voucher!;
    shop.till.scan(cashier.registerId, codes.wine);
    shop.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    shop.close();
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const approval = () => ({ approver: String(manager.userId), manager_pin: manager.pin });

type Case = {
  what: string;
  path: string;
  form: () => Record<string, string>;
  /** What the action leaves, counted: all must be 0 (never happened) or all 1 (happened whole). */
  traces: (shop: Shop) => number[];
  /** Who does it (the cashier on Lane 1 unless said). */
  by?: "manager";
};

const count = (shop: Shop, sql: string) => shop.db.query<{ n: number }, []>(sql).get()!.n;

const cases: Case[] = [
  {
    what: "no sale",
    path: "/register/no-sale",
    form: () => ({ reason: "change for the float", ...approval() }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM cash_movements WHERE kind = 'no_sale'"),
      count(s, "SELECT count(*) AS n FROM print_jobs WHERE kind = 'drawer'"),
      count(s, "SELECT count(*) AS n FROM journal WHERE kind = 'drawer.no_sale'"),
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'drawer.no_sale'"),
    ],
  },
  {
    what: "price override",
    path: "/register/lines/LINE/price",
    form: () => ({ price: "9.99", reason: "damaged label", ...approval() }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM sale_events WHERE type = 'PriceOverridden'"),
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'sale.price_overridden'"),
    ],
  },
  {
    what: "cash out",
    path: "/shift/cash",
    form: () => ({ kind: "out", amount: "20.00", reason: "to the safe", ...approval() }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM cash_movements WHERE kind = 'out'"),
      count(s, "SELECT count(*) AS n FROM print_jobs WHERE kind = 'drawer'"),
      count(s, "SELECT count(*) AS n FROM journal WHERE kind = 'drawer.cash_out'"),
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'cash.out'"),
    ],
  },
  {
    what: "shift close",
    path: "/shift/close",
    form: () => ({ counted: "100.00", ...approval() }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM shifts WHERE closed_at IS NOT NULL"),
      count(s, "SELECT count(*) AS n FROM outbox WHERE kind = 'shift_closed'"),
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'shift.closed'"),
      count(s, "SELECT count(*) AS n FROM print_jobs WHERE kind = 'report'"),
    ],
  },
  {
    what: "return",
    path: "/returns",
    form: () => ({ sale_id: soldSaleId, qty_1: "1", reason: "changed_mind", refund: "original" }),
    // (the bread returned for store credit beforehand is one of each already)
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM returns") - 1,
      count(s, "SELECT count(*) AS n FROM return_lines") - 1,
      count(s, "SELECT count(*) AS n FROM return_refunds") - 1,
      count(s, "SELECT count(*) AS n FROM stock_movements WHERE reason = 'return'") - 1,
      count(s, "SELECT count(*) AS n FROM products WHERE sku = 'MILK-1L' AND stock_milli = 49000"),
      count(s, "SELECT count(*) AS n FROM journal WHERE kind = 'return.completed'") - 1,
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'return.completed'") - 1,
      count(s, "SELECT count(*) AS n FROM outbox WHERE kind = 'return'") - 1,
      count(s, "SELECT count(*) AS n FROM print_jobs WHERE return_id IS NOT NULL") - 1,
    ],
  },
  {
    what: "exchange",
    path: "/returns",
    form: () => ({ sale_id: soldSaleId, qty_1: "1", reason: "wrong_size", refund: "exchange" }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM returns WHERE exchange_sale_id IS NOT NULL"),
      count(s, "SELECT count(*) AS n FROM return_lines") - 1,
      count(s, "SELECT count(*) AS n FROM vouchers") - 1,
      count(s, "SELECT count(*) AS n FROM voucher_movements WHERE amount > 0") - 1,
      count(s, "SELECT count(*) AS n FROM voucher_movements WHERE amount < 0"),
      count(s, "SELECT count(*) AS n FROM sale_events WHERE type = 'PaymentAdded'") - 2, // the milk's and the bread's
      count(s, "SELECT count(*) AS n FROM products WHERE sku = 'MILK-1L' AND stock_milli = 49000"),
      count(s, "SELECT count(*) AS n FROM outbox WHERE kind = 'return'") - 1,
      count(s, "SELECT count(*) AS n FROM print_jobs WHERE return_id IS NOT NULL") - 1,
    ],
  },
  {
    what: "delivery",
    path: "/stock/deliveries",
    by: "manager",
    form: () => ({ supplier: "Dairy Co", items: `${codes.milk} x6 @0.70\n${codes.bread} x2`, step: "receive" }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM deliveries"),
      count(s, "SELECT count(*) AS n FROM delivery_lines") / 2,
      count(s, "SELECT count(*) AS n FROM stock_movements WHERE reason = 'delivery'") / 2,
      count(s, "SELECT count(*) AS n FROM products WHERE sku = 'MILK-1L' AND cost = 70"),
      count(s, "SELECT count(*) AS n FROM audit_log WHERE action = 'stock.delivery_received'"),
      count(s, "SELECT count(*) AS n FROM products p WHERE p.stock_milli != (SELECT sum(qty_milli) FROM stock_movements m WHERE m.product_id = p.id)") === 0
        ? count(s, "SELECT count(*) AS n FROM deliveries")
        : -1,
    ],
  },
  {
    what: "store credit pays",
    path: "/register/pay",
    form: () => ({ method: "voucher", voucher: creditCode, amount: "1.00" }),
    traces: (s) => [
      count(s, "SELECT count(*) AS n FROM voucher_movements WHERE amount < 0"),
      count(s, `SELECT count(*) AS n FROM vouchers WHERE balance = ${349 - 100}`),
      count(s, "SELECT count(*) AS n FROM sale_events WHERE type = 'PaymentAdded'") - 2, // the milk's and the bread's
    ],
  },
];

/** Run the action in a store process that dies right after its Nth write (0: never); what the store holds afterwards. */
async function runKilledAfter(c: Case, killAfter: number): Promise<{ traces: number[]; writes: number | null }> {
  const dir = join(root, `${c.what.replace(/ /g, "-")}-${killAfter}`);
  cpSync(prepared, dir, { recursive: true });
  const line = (() => {
    const shop = openShop({ dataDir: dir });
    try {
      return shop.till.current(cashier.registerId)!.lines[0]!.lineId;
    } finally {
      shop.close();
    }
  })();
  const requestFile = join(dir, "request.json");
  const who = c.by === "manager" ? manager : cashier;
  writeFileSync(requestFile, JSON.stringify({ path: c.path.replace("LINE", line), headers: { ...who.headers, "HX-Request": "true" }, form: c.form() }));
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures/one-action.ts"), dir, requestFile, String(killAfter)], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(child.stdout).text();
  await child.exited;
  const said = out.trim() ? (JSON.parse(out.trim().split("\n").at(-1)!) as { status: number; writes: number }) : null;
  if (killAfter === 0 && said?.status !== 200 && said?.status !== 303)
    throw new Error(`${c.what} answered ${said?.status}: ${await new Response(child.stderr).text()}`);
  const shop = openShop({ dataDir: dir });
  try {
    return { traces: c.traces(shop), writes: said?.writes ?? null };
  } finally {
    shop.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("killed after any write of a multi-write action, the store holds all of it or none", () => {
  for (const c of cases) {
    test(c.what, async () => {
      const whole = await runKilledAfter(c, 0);
      expect(whole.traces.every((n) => n === 1)).toBe(true);
      const writes = whole.writes!;
      expect(writes).toBeGreaterThan(1);
      const halfDone: string[] = [];
      for (let n = 1; n <= writes; n++) {
        const { traces } = await runKilledAfter(c, n);
        if (!(traces.every((x) => x === 0) || traces.every((x) => x === 1))) halfDone.push(`killed after write ${n} of ${writes}: ${traces.join(", ")}`);
      }
      expect(halfDone).toEqual([]);
    }, 120_000);
  }
});
