// What the bench asks of the store: basket-sized sales and barcode picks, the same for HTTP and for the floor.
import type { Fixture, UnitProduct } from "./fixture.ts";
import { seededRandom } from "./stats.ts";

export const LINES_PER_SALE = 5;

export type SaleRequest = {
  lines: { barcode: string; qty: number }[];
  payments: { method: "cash"; amount: number }[];
};

/** Cash as a customer hands it over: the total covered, rounded up to the next 10.00 note. */
export function cashTender(products: readonly UnitProduct[], maxRateBp: number): number {
  const net = products.reduce((sum, p) => sum + p.price, 0);
  const gross = Math.ceil((net * (10_000 + maxRateBp)) / 10_000);
  return Math.ceil((gross + 1) / 1000) * 1000;
}

/** An endless, deterministic stream of five-line cash sales over distinct unit products. */
export function saleStream(fixture: Pick<Fixture, "unitProducts" | "maxRateBp">, seed: number): () => SaleRequest {
  const random = seededRandom(seed);
  const pool = fixture.unitProducts;
  return () => {
    const picked = new Set<UnitProduct>();
    while (picked.size < Math.min(LINES_PER_SALE, pool.length)) picked.add(pool[Math.floor(random() * pool.length)]!);
    const products = [...picked];
    return {
      lines: products.map((p) => ({ barcode: p.barcode, qty: 1 })),
      payments: [{ method: "cash", amount: cashTender(products, fixture.maxRateBp) }],
    };
  };
}

/** Barcodes spread over the whole catalog, in a fixed pseudo-random order. */
export function barcodeStream(fixture: Pick<Fixture, "unitProducts">, seed: number): () => string {
  const random = seededRandom(seed);
  const pool = fixture.unitProducts;
  return () => pool[Math.floor(random() * pool.length)]!.barcode;
}
