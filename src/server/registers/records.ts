// The store's registers: a lane PC or tablet paired by a manager, or an API token selling as its own register.
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { textProblem } from "../../domain/kernel/text.ts";

/** The register of that name, made when it does not exist yet (inside the caller's transaction). */
export function ensureRegister(db: Database, name: string, at: string): number {
  const problem = textProblem(name, "The register's name", { max: 40 });
  if (problem) throw new Problem(problem.code, problem.message);
  db.query("INSERT INTO registers(name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING").run(name, at);
  return db.query<{ id: number }, [string]>("SELECT id FROM registers WHERE name = ?").get(name)!.id;
}

export function registerNames(db: Database): string[] {
  return db
    .query<{ name: string }, []>("SELECT name FROM registers ORDER BY name")
    .all()
    .map((r) => r.name);
}
