// What a manager (or the command line) does to the store's categories, each one transaction with its audit row: add
// one, rename it, remove it while no product is in it. A refusal writes nothing.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";
import { type AuditLog, recordSetUp, type SetUpActor } from "../audit/audit-log.ts";
import { PRODUCT_TEXT_LIMITS } from "../catalog/import.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { type Category, categoryRecords } from "./records.ts";

/** As long as the CSV import takes a category's name: a name it imports can be typed here too. */
export const MAX_CATEGORY_NAME = PRODUCT_TEXT_LIMITS.category;

export type CategoryActionDeps = { db: Database; clock: Clock; audit: AuditLog };

/**
 * A category's name as typed, as it is kept: spaces run together and trimmed (as the CSV import keeps it), one line of
 * 1 to 100 characters through the text gate.
 */
export function readCategoryName(typed: string): string {
  const name = typed.replace(/\s+/g, " ").trim();
  const problem = textProblem(name, "The category's name", { max: MAX_CATEGORY_NAME });
  if (problem) throw new Problem(problem.code, problem.message, { field: "name" });
  if (name === "") throw new Problem("invalid_input", `Give the category a name of 1 to ${MAX_CATEGORY_NAME} characters, such as Bakery.`, { field: "name" });
  return name;
}

export function categoryActions(deps: CategoryActionDeps) {
  const { db } = deps;
  const records = categoryRecords(db);
  const tx = inOneTransaction(db);
  const record = recordSetUp(deps.audit, deps.clock);

  const categoryOf = (id: number): Category => {
    const c = records.byId(id);
    if (!c) throw new Problem("not_found", "That category is not there any more; someone may have removed it.");
    return c;
  };
  /** The CSV import finds a category by its name whatever its case: no two may differ only in that. */
  const free = (name: string, except: number | null) => {
    const other = records.all().find((c) => c.id !== except && c.name.toLowerCase() === name.toLowerCase());
    if (other) throw new Problem("invalid_input", `There is already a category called “${other.name}”; choose another name.`, { field: "name" });
  };

  return {
    /** The category a person names: by its name as kept, else the one whose name differs only in case. */
    named(typed: string): Category {
      const name = typed.replace(/\s+/g, " ").trim();
      const c = records.byName(name) ?? records.all().find((x) => x.name.toLowerCase() === name.toLowerCase()) ?? null;
      if (!c) throw new Problem("not_found", `There is no category called “${name.slice(0, 100)}”.`);
      return c;
    },

    add: tx((who: SetUpActor, typed: string): Category => {
      const name = readCategoryName(typed);
      free(name, null);
      const id = records.insert(name);
      record(who, "category.added", name, {});
      return categoryOf(id);
    }),

    rename: tx((who: SetUpActor, id: number, typed: string): Category => {
      const c = categoryOf(id);
      const name = readCategoryName(typed);
      if (name === c.name) return c;
      free(name, c.id);
      records.rename(c.id, name);
      record(who, "category.renamed", name, { was: c.name });
      return { ...c, name };
    }),

    /** Remove a category with no products in it; one with products is refused with how many. */
    remove: tx((who: SetUpActor, id: number): Category => {
      const c = categoryOf(id);
      if (c.products > 0) {
        const many = c.products === 1 ? "1 product is" : `${c.products} products are`;
        throw new Problem(
          "invalid_input",
          `${many} in “${c.name}”, so it stays; put ${c.products === 1 ? "it" : "them"} in another category first (a CSV import with a category column does that).`,
          { products: c.products },
        );
      }
      records.remove(c.id);
      record(who, "category.removed", c.name, {});
      return c;
    }),
  };
}

export type CategoryActions = ReturnType<typeof categoryActions>;
