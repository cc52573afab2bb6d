// The chain's category list: products pick their category from it, and a name is one category whatever its case, so
// "Pantry" and "pantry" never reach the stores as two. Releases carry the name as before (and a release from a file
// adds its new names to the list itself: db/functions/hq_release_categories.sql).
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import type { CategoryView } from "../../../views/hq/categories.tsx";
import type { HqSql } from "../db/db.ts";

/** As long as a release's category may be (catalog/releases.ts). */
export const MAX_CATEGORY = 60;

/** A category the list does not take: its sentence beside the name field, and nothing written. */
export class CategoryRefused extends Problem {
  constructor(message: string) {
    super("invalid_input", message, { name: message });
  }
}

/** Every category, as people read a list: alphabetical whatever the case. */
export async function categoryList(sql: HqSql): Promise<CategoryView[]> {
  return sql<CategoryView[]>`SELECT name, created_by, created_at FROM catalog_categories ORDER BY lower(name), name`;
}

export async function categoryNames(sql: HqSql): Promise<string[]> {
  return (await categoryList(sql)).map((c) => c.name);
}

/** The list's spelling of a category typed in any case, or null when the list has no such category. */
export async function listedCategory(sql: HqSql, typed: string): Promise<string | null> {
  const [row] = await sql<{ name: string }[]>`SELECT name FROM catalog_categories WHERE lower(name) = lower(${typed.trim()})`;
  return row?.name ?? null;
}

/**
 * Add a category. Refused with a sentence when the name is empty, too long, or already in the list in any case (the
 * sentence names the one there). One statement: two people adding "Pantry" and "pantry" at once add one of them.
 */
export async function addCategory(sql: HqSql, typed: string, by: string): Promise<string> {
  const name = typed.trim().replace(/\s+/g, " ");
  if (!name) throw new CategoryRefused("Type the name of the category, such as Pantry.");
  const problem = textProblem(name, "The category", { max: MAX_CATEGORY });
  if (problem) throw new CategoryRefused(problem.message);
  const added = await sql<{ name: string }[]>`
    INSERT INTO catalog_categories (name, created_by) VALUES (${name}, ${by}) ON CONFLICT DO NOTHING RETURNING name`;
  if (added.length > 0) return name;
  const existing = (await listedCategory(sql, name)) ?? name;
  throw new CategoryRefused(
    existing === name
      ? `There is a category ${existing} already.`
      : `There is a category ${existing} already; ${name} would be the same one spelled another way. Pick ${existing} for the product instead.`,
  );
}
