// Store credit in SQLite: a code issued with a return, spent as a tender in later sales, a balance that only moves in
// one statement that checks it (two registers spending the same credit at once: the second finds it spent). Called
// inside the action's transaction; nothing here commits on its own.
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import { spacedCode } from "../../domain/sale/receipt.ts";

export type StoreCredit = { code: string; issued: number; balance: number; issuedAt: string };

/** A code as it is kept: "SC" and twelve digits. What a person types (spaces, dashes, lower case) reads the same. */
export function readCreditCode(typed: string): string | null {
  const t = typed.replace(/[\s-]/g, "").toUpperCase();
  return /^SC\d{12}$/.test(t) ? t : null;
}

/** Twelve random digits: a code nobody guesses (a trillion to one per try, each try behind a signed-in register). */
export function newCreditCode(): string {
  const bytes = crypto.getRandomValues(new Uint32Array(3));
  return `SC${[...bytes].map((b) => String(b % 10000).padStart(4, "0")).join("")}`;
}

export function storeCreditRecords(db: Database) {
  const q = {
    get: db.query<{ code: string; issued: number; balance: number; issued_at: string }, [string]>(
      "SELECT code, issued, balance, issued_at FROM vouchers WHERE code = ?",
    ),
    issue: db.query("INSERT INTO vouchers(code, issued, balance, issued_at, register_id, return_id) VALUES (?, ?, ?, ?, ?, ?)"),
    spend: db.query("UPDATE vouchers SET balance = balance - ?1 WHERE code = ?2 AND balance >= ?1"),
    restore: db.query("UPDATE vouchers SET balance = balance + ?1 WHERE code = ?2 AND balance + ?1 <= issued"),
    move: db.query(
      `INSERT INTO voucher_movements(code, n, at, amount, sale_id, payment_id, return_id)
       VALUES (?1, (SELECT coalesce(max(n), 0) + 1 FROM voucher_movements WHERE code = ?1), ?2, ?3, ?4, ?5, ?6)`,
    ),
  };

  function find(code: string): StoreCredit | null {
    const r = q.get.get(code);
    return r ? { code: r.code, issued: r.issued, balance: r.balance, issuedAt: r.issued_at } : null;
  }

  return {
    find,
    /** The credit a code names, or a refusal a cashier can act on. */
    require(typed: string): StoreCredit {
      const code = readCreditCode(typed);
      if (!code) throw new Problem("invalid_input", "A store credit's code is SC and twelve digits, as printed under its barcode.");
      const credit = find(code);
      if (!credit) throw new Problem("voucher_not_found", `No store credit has the code ${spacedCode(code)}: check the code on the slip.`);
      return credit;
    },
    /** A new store credit of `amount`, issued by a return. */
    issue(code: string, amount: number, at: string, registerId: number, returnId: string): void {
      q.issue.run(code, amount, amount, at, registerId, returnId);
      q.move.run(code, at, amount, null, null, returnId);
    },
    /** Spend `amount` of a credit on a sale's payment; refused, naming what is left, when the balance is short. */
    spend(code: string, amount: number, at: string, saleId: string, paymentId: string): void {
      if (q.spend.run(amount, code).changes !== 1) {
        const left = find(code)?.balance ?? 0;
        throw new Problem(
          "voucher_spent",
          left === 0 ? `Store credit ${spacedCode(code)} has been spent in full.` : `Store credit ${spacedCode(code)} holds less than that now.`,
          { balance: left },
        );
      }
      q.move.run(code, at, -amount, saleId, paymentId, null);
    },
    /** A payment by store credit taken off a sale: its amount back on the credit. */
    restore(code: string, amount: number, at: string, saleId: string, paymentId: string): void {
      if (q.restore.run(amount, code).changes !== 1) throw new Error(`store credit ${code} cannot take ${amount} back`);
      q.move.run(code, at, amount, saleId, paymentId, null);
    },
  };
}

export type StoreCreditRecords = ReturnType<typeof storeCreditRecords>;
