// One user action, one transaction (DESIGN §4): `inOneTransaction(db)(f)` is f run inside BEGIN IMMEDIATE, so the
// write lock is taken at the start and the action either commits whole or leaves nothing. Called inside another
// action's transaction, it joins that one (a savepoint).
import type { Database } from "bun:sqlite";

export function inOneTransaction(db: Database) {
  return <A extends unknown[], R>(f: (...a: A) => R) => {
    const t = db.transaction(f);
    return (...a: A): R => t.immediate(...a);
  };
}
