// A store's name changed by an admin, with the old and new name in the audit log.
import { Problem } from "../../../domain/kernel/problem.ts";
import { textProblem } from "../../../domain/kernel/text.ts";
import { hqAudit } from "../audit/audit.ts";
import type { HqSql } from "../db/db.ts";

/** Rename the store; the same name again changes nothing and writes no audit line. Returns the name it had. */
export async function renameStore(sql: HqSql, storeId: string, name: string, who: string): Promise<{ before: string }> {
  const problem = textProblem(name, "The store's name", { max: 100 });
  if (problem) throw new Problem(problem.code, problem.message);
  return sql.begin(async (tx) => {
    const [st] = await tx<{ name: string }[]>`SELECT name FROM stores WHERE store_id = ${storeId}::uuid FOR UPDATE`;
    if (!st) throw new Problem("store_not_found", "This store is not registered at head office.");
    if (st.name === name) return { before: st.name };
    await tx`UPDATE stores SET name = ${name} WHERE store_id = ${storeId}::uuid`;
    await hqAudit(tx, { who, action: "store.renamed", storeId, subject: `store ${name}`, before: { name: st.name }, after: { name } });
    return { before: st.name };
  });
}
