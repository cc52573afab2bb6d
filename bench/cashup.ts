// Cash-up: close a shift of 1,000 register sales — Z report computed, stored and rendered — as a shop does at night.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minorToDecimal } from "../src/domain/kernel/money.ts";
import { createApp } from "../src/server/app.ts";
import { seedDemoCatalog } from "../src/server/catalog/demo.ts";
import { openShop } from "../src/server/compose.ts";
import { writeSetting } from "../src/server/settings/settings.ts";
import { signIn } from "../tests/helpers/store.ts";
import type { Section } from "./context.ts";
import { progress, round } from "./stats.ts";

const SALES = 1000;
const RUNS = 3;

export const cashup: Section = {
  name: "cashup",
  phase: "offline",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "shopflow-bench-cashup-"));
    const store = openShop({ dataDir: dir });
    const app = createApp(store);
    try {
      seedDemoCatalog(store.db, { now: store.clock.now().toISOString() });
      writeSetting(store.db, "negative_stock", "allow");
      store.reloadSettings();
      const codes = store.db
        .query<{ barcode: string }, []>("SELECT barcode FROM products WHERE weighed = 0 AND barcode LIKE '4%' LIMIT 500")
        .all()
        .map((r) => r.barcode);
      const closeMs: number[] = [];
      let lines = 0;
      for (let run = 0; run < RUNS; run++) {
        const lane = await signIn(store, 1, { role: "manager", name: `Closer ${run}` });
        const shift = store.shifts.current(lane.registerId)!;
        for (let i = 0; i < SALES; i++) {
          for (let k = 0; k < 5; k++) store.till.scan(lane.registerId, codes[(i * 5 + k) % codes.length]!);
          const due = store.sales.totals(store.till.current(lane.registerId)!).due;
          store.till.pay(lane.registerId, i % 3 === 0 ? { method: "card", amount: due } : { method: "cash", amount: due + 500 }, lane.userId);
        }
        lines += SALES * 5;
        const counted = minorToDecimal(report0(store, shift.id), 2);
        // the manager's Close shift form, as the browser posts it: Z computed, stored, queued for printing, rendered
        const t0 = performance.now();
        const res = await app.request("/shift/close", {
          method: "POST",
          headers: { ...lane.headers, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ counted }).toString(),
        });
        const html = await res.text();
        closeMs.push(performance.now() - t0);
        const report = store.shifts.storedZ(shift.id);
        if (res.status !== 200 || report?.salesCount !== SALES || !html.includes('data-testid="report-z"'))
          throw new Error(`the Z report answered ${res.status}, counting ${report?.salesCount} sales`);
        progress(`cashup: run ${run + 1} closed ${SALES} sales in ${round(closeMs.at(-1)!, 1)} ms`);
      }
      closeMs.sort((a, b) => a - b);
      return {
        cashup: {
          sales_per_shift: SALES,
          lines_per_shift: lines / RUNS,
          runs_ms: closeMs.map((x) => round(x, 1)),
          z_close_median_ms: round(closeMs[Math.floor(RUNS / 2)]!, 1),
        },
      };
    } finally {
      await store.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** The cashier counts exactly what the drawer should hold (found with an X report beforehand, not timed). */
function report0(store: ReturnType<typeof openShop>, shiftId: number): number {
  return store.shifts.x(store.shifts.byId(shiftId)!).expectedCash;
}
