// What a manager does to the favourites pages of quick keys, each one transaction with its audit row: add, rename,
// delete and order pages; put a product on a page, take it off, move it up or down. A refusal writes nothing.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { type Catalog, MAX_KEYS_ON_PAGE } from "../catalog/queries.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { type QuickKeyPage, quickKeyRecords } from "./records.ts";

/** Who arranges the keys: a signed-in manager, from any browser (the back office need not be a register). */
export type OfficeActor = { userId: number; userName: string; registerName: string | null };

export type Direction = "up" | "down";

/**
 * Two page names are the same name when they differ only in case, width or Unicode spelling: "BÄKERY" is "bäkery" (and
 * "Bäkery" spelt with a combining ¨, and "ＢＡＫＥＲＹ"), but "Bäkery" is not "Bakery". A collator compares that
 * way; lower-casing both would miss the composed and decomposed spellings and the wide letters, and the table's
 * COLLATE NOCASE folds ASCII only. "en" rather than the machine's locale, so every store decides alike (its
 * collation is the Unicode root's).
 */
const sameName = new Intl.Collator("en", { sensitivity: "accent", usage: "search" });

/** More pages than this would push the categories off a register's tab bar. */
export const MAX_PAGES = 12;
export const MAX_PAGE_NAME = 40;

export type QuickKeyActionDeps = { db: Database; clock: Clock; audit: AuditLog; catalog: Catalog };

export function quickKeyActions(deps: QuickKeyActionDeps) {
  const { db, clock, audit, catalog } = deps;
  const pages = quickKeyRecords(db);
  const tx = inOneTransaction(db);
  const record = (who: OfficeActor, action: string, subject: string, detail: Record<string, unknown>) =>
    audit.record({ at: clock.now().toISOString(), userId: who.userId, userName: who.userName, register: who.registerName, action, subject, detail });

  const pageOf = (id: number): QuickKeyPage => {
    const p = pages.page(id);
    if (!p) throw new Problem("not_found", "That favourites page is not there any more; someone may have deleted it.");
    return p;
  };
  /** A page's name, checked: one line of 1 to 40 characters through the text gate, no other page's name (see sameName). */
  const nameFor = (typed: string, except = 0): string => {
    const name = typed.trim();
    if (name.length < 1 || name.length > MAX_PAGE_NAME) throw new Problem("invalid_name", `Give the page a name of 1 to ${MAX_PAGE_NAME} characters.`);
    const problem = textProblem(name, "The page's name", { max: MAX_PAGE_NAME });
    if (problem) throw new Problem(problem.code, problem.message, { field: "name" });
    const taken = pages.pages().find((p) => p.id !== except && sameName.compare(p.name, name) === 0);
    if (taken) throw new Problem("invalid_name", `There is already a page called “${taken.name}”; choose another name.`);
    return name;
  };
  const keyOn = (page: QuickKeyPage, productId: number) => {
    const position = pages.positionOf(page.id, productId);
    if (position === null) throw new Problem("not_found", `That product is not on “${page.name}” any more.`);
    return { position, name: catalog.byId(productId)?.name ?? `product ${productId}` };
  };
  const step = (d: Direction) => (d === "up" ? -1 : 1);

  return {
    addPage: tx((who: OfficeActor, typed: string): QuickKeyPage => {
      const name = nameFor(typed);
      if (pages.pages().length >= MAX_PAGES) {
        throw new Problem("invalid_input", `A store has at most ${MAX_PAGES} favourites pages; delete one you no longer use first.`);
      }
      const page = pageOf(pages.insertPage(name, clock.now().toISOString()));
      record(who, "quick_keys.page_added", page.name, { position: page.position });
      return page;
    }),

    renamePage: tx((who: OfficeActor, pageId: number, typed: string): QuickKeyPage => {
      const page = pageOf(pageId);
      const name = nameFor(typed, page.id);
      if (name === page.name) return page;
      pages.renamePage(page.id, name);
      record(who, "quick_keys.page_renamed", name, { was: page.name });
      return { ...page, name };
    }),

    deletePage: tx((who: OfficeActor, pageId: number): QuickKeyPage => {
      const page = pageOf(pageId);
      pages.deletePage(page);
      record(who, "quick_keys.page_deleted", page.name, { keys: page.keys });
      return page;
    }),

    /** Move a page one place earlier or later among the tabs; false (nothing written) when it is at that end. */
    movePage: tx((who: OfficeActor, pageId: number, to: Direction): boolean => {
      const page = pageOf(pageId);
      if (!pages.swapPage(page, step(to))) return false;
      record(who, "quick_keys.page_moved", page.name, { from: page.position, to: page.position + step(to) });
      return true;
    }),

    /** Put a product on a page, last; its place. */
    addKey: tx((who: OfficeActor, pageId: number, productId: number): number => {
      const page = pageOf(pageId);
      const product = catalog.byId(productId);
      if (!product) throw new Problem("product_not_found", "That product is not in the catalog; search for it again.");
      if (!product.active) throw new Problem("product_inactive", `${product.name} is no longer sold, so it gets no quick key.`);
      if (pages.positionOf(page.id, product.id) !== null) throw new Problem("invalid_input", `${product.name} is already on “${page.name}”.`);
      if (pages.keyCount(page.id) >= MAX_KEYS_ON_PAGE) {
        throw new Problem("invalid_input", `“${page.name}” holds ${MAX_KEYS_ON_PAGE} keys already; take one off or start another page.`);
      }
      const position = pages.appendKey(page.id, product.id);
      record(who, "quick_keys.key_added", page.name, { product: product.name, sku: product.sku, position });
      return position;
    }),

    removeKey: tx((who: OfficeActor, pageId: number, productId: number): void => {
      const page = pageOf(pageId);
      const key = keyOn(page, productId);
      pages.removeKey(page.id, productId, key.position);
      record(who, "quick_keys.key_removed", page.name, { product: key.name, position: key.position });
    }),

    /** Move a key one place up or down on its page; its new place, or null (nothing written) when it is at that end. */
    moveKey: tx((who: OfficeActor, pageId: number, productId: number, to: Direction): number | null => {
      const page = pageOf(pageId);
      const key = keyOn(page, productId);
      if (!pages.swapKey(page.id, productId, key.position, step(to))) return null;
      const now = key.position + step(to);
      record(who, "quick_keys.key_moved", page.name, { product: key.name, from: key.position, to: now });
      return now;
    }),
  };
}

export type QuickKeyActions = ReturnType<typeof quickKeyActions>;
