// What the price list tests share: head office's opening catalog (milk and bread), a catalog person's way through the
// region pages and the draft as a browser posts them, and a real store pulling from head office in-process.
import { expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShop, type Shop } from "../../src/server/compose.ts";
import { writeSetting } from "../../src/server/settings/settings.ts";
import { type CatalogProduct, publishRelease } from "../../src/sync/hq/catalog/releases.ts";
import type { RegisteredStore } from "../../src/sync/hq/stores/stores.ts";
import { TestClock } from "../helpers/store.ts";
import { csrfOf, type Hq, ORIGIN, type Visitor } from "./hq-support.ts";
import { catalogProduct, chainTaxClasses } from "./support.ts";

export const product = (p: Partial<CatalogProduct> & { sku: string }): CatalogProduct => catalogProduct({ tax_class: "RED", ...p });

/** The chain's opening catalog, published a minute ago: milk at 1.19 and bread at 3.49. */
export async function openingCatalog(hq: Hq): Promise<void> {
  await publishRelease(
    hq.sql,
    {
      tax_classes: chainTaxClasses,
      products: [product({ sku: "MILK", name: "Fresh Milk 1 L", price: 119 }), product({ sku: "BREAD", name: "Sourdough", price: 349 })],
    },
    new Date(Date.now() - 60_000),
    "opening catalog",
  );
}

/** A catalog person's hands on the region pages and the draft, as their browser posts them. */
export function pricePages(person: Visitor) {
  return {
    /** Name a region; its number. */
    async addRegion(name: string): Promise<number> {
      await person.page("/catalog/regions");
      const res = await person.request("POST", "/catalog/regions", { form: { name } });
      expect(res.status).toBe(303);
      return Number(/\/catalog\/regions\/(\d+)/.exec(res.headers.get("Location")!)![1]);
    },
    /** Put a change into the draft through a region's page; the page says it is in the draft. */
    async draft(path: string, form: Record<string, string>): Promise<void> {
      await person.page(path.replace(/\/(prices|stores)$/, ""));
      const res = await person.request("POST", path, { form });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("in the draft release");
    },
    /** Publish the draft from the draft page (at `at`, a past time confirmed); the version, or the refusal shown. */
    async publish(at?: Date): Promise<number | string> {
      const page = (await person.page("/catalog/draft")).html;
      const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page)![1]!;
      const when: Record<string, string> = at ? { effective_at: at.toISOString().slice(0, 16), effective_at_iso: at.toISOString(), confirm_past: "1" } : {};
      const res = await person.request("POST", "/catalog/draft/publish", {
        form: { fingerprint, note: "price lists", effective_at: "", effective_at_iso: "", ...when },
        csrf: csrfOf(page),
      });
      if (res.status !== 303) return (await res.text()).match(/The draft cannot be published: [^<]*/)?.[0] ?? `status ${res.status}`;
      return Number(new URL(res.headers.get("Location")!, "http://x").searchParams.get("published"));
    },
  };
}

/**
 * A real store linked to head office, pulling through its app in-process, with a clock of its own; `price` is what
 * the till sells a product at after taking what head office has. Its dir and shop go to the caller's lists to close.
 */
export function linkedStore(hq: Hq, reg: RegisteredStore, into: { dirs: string[]; shops: Shop[] }) {
  const dir = mkdtempSync(join(tmpdir(), "shopflow-price-lists-"));
  into.dirs.push(dir);
  const clock = new TestClock(new Date(Date.now() + 1000));
  const shop = openShop({
    dataDir: dir,
    clock,
    fetch: ((input: string | URL | Request, init?: RequestInit) => hq.app.request(String(input), init)) as typeof fetch,
  });
  into.shops.push(shop);
  writeSetting(shop.db, "hq_url", ORIGIN);
  writeSetting(shop.db, "hq_store_id", reg.storeId);
  writeSetting(shop.db, "hq_token", reg.token);
  const price = async (sku: string) => {
    await shop.catalogReleases.pull();
    return shop.catalog.bySku(sku)?.price;
  };
  return { shop, clock, price };
}
