// What a manager (or the command line) does to the store's tax classes, each one transaction with its audit row: add
// one, rename it, change its rate, remove it while no product uses it. A refusal writes nothing.
//
// A rate is the product's at the moment it is scanned: a sale keeps the rate of each line (its events, its lines and
// its tax summary), so a change applies to what is scanned from then on and never to a receipt already given.
import type { Database } from "bun:sqlite";
import type { Clock } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import { type AuditLog, recordSetUp, type SetUpActor } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import { type TaxClass, taxClassRecords } from "./records.ts";
import { rateInWords, readRate, readTaxCode, readTaxName } from "./rules.ts";

export type TaxClassActionDeps = { db: Database; clock: Clock; audit: AuditLog };

/** A tax class as typed: code, name and rate ("20", "7.5"). */
export type TypedTaxClass = { code: string; name: string; rate: string };

/** What a change did: the name and rate before and after (equal when that part was left as it was). */
export type TaxClassChange = { code: string; name: { from: string; to: string }; rateBp: { from: number; to: number } };

export function taxClassActions(deps: TaxClassActionDeps) {
  const { db } = deps;
  const records = taxClassRecords(db);
  const tx = inOneTransaction(db);
  const record = recordSetUp(deps.audit, deps.clock);

  const classOf = (code: string): TaxClass => {
    const t = records.byCode(code);
    if (!t) throw new Problem("tax_class_not_found", `There is no tax class ${code.slice(0, 40)}; someone may have removed it.`, { field: "code" });
    return t;
  };
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  /**
   * The CSV import finds a tax class by its code or its name, whatever their case: no two classes may share one, nor may
   * one class's name be another's code.
   */
  const taken = (text: string, field: "code" | "name", except: string | null) => {
    for (const t of records.all()) {
      if (t.code === except) continue;
      if (same(t.code, text)) {
        throw new Problem("invalid_input", `There is already a tax class ${t.code} (${t.name}); choose another ${field}.`, { field });
      }
      if (same(t.name, text)) {
        const whose = field === "name" ? "" : `, and the CSV import finds a tax class by its code or its name`;
        throw new Problem("invalid_input", `“${t.name}” is the name of tax class ${t.code}${whose}; choose another ${field}.`, { field });
      }
    }
  };

  return {
    add: tx((who: SetUpActor, typed: TypedTaxClass): TaxClass => {
      const code = readTaxCode(typed.code);
      const name = readTaxName(typed.name);
      const rateBp = readRate(typed.rate);
      taken(code, "code", null);
      taken(name, "name", null);
      records.insert({ code, name, rateBp });
      record(who, "tax_class.added", code, { name, rate_bp: rateBp });
      return classOf(code);
    }),

    /**
     * Rename a class and/or change its rate (a part not given stays as it is), each part changed with its audit row.
     * A new rate is for what is scanned from now on: sales already made keep theirs.
     */
    change: tx((who: SetUpActor, code: string, typed: { name?: string; rate?: string }): TaxClassChange => {
      const was = classOf(code);
      const name = typed.name === undefined ? was.name : readTaxName(typed.name);
      const rateBp = typed.rate === undefined ? was.rateBp : readRate(typed.rate);
      if (name !== was.name) {
        taken(name, "name", was.code);
        records.rename(was.code, name);
        record(who, "tax_class.renamed", was.code, { name, was: was.name });
      }
      if (rateBp !== was.rateBp) {
        records.setRate(was.code, rateBp);
        record(who, "tax_class.rate_changed", was.code, { rate_bp: rateBp, was_bp: was.rateBp });
      }
      return { code: was.code, name: { from: was.name, to: name }, rateBp: { from: was.rateBp, to: rateBp } };
    }),

    /** Remove a class no product uses; a class in use is refused with how many products use it. */
    remove: tx((who: SetUpActor, code: string): TaxClass => {
      const t = classOf(code);
      if (t.products > 0) {
        const many = t.products === 1 ? "1 product uses" : `${t.products} products use`;
        throw new Problem(
          "invalid_input",
          `${many} ${t.code} (${t.name}, ${rateInWords(t.rateBp)}), so it stays; give ${t.products === 1 ? "it" : "them"} another tax class first (a CSV import with a tax class column does that).`,
          { field: "code", products: t.products },
        );
      }
      records.remove(t.code);
      record(who, "tax_class.removed", t.code, { name: t.name, rate_bp: t.rateBp });
      return t;
    }),
  };
}

export type TaxClassActions = ReturnType<typeof taxClassActions>;
