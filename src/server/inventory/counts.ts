// Stock counts, one transaction each: opening a count, a scan (its line read and added to under the write lock, so
// scans from any number of devices are all kept and none takes a line past MAX_COUNT_MILLI), a line set to a typed number, a count list brought in whole or not at all, and the
// approval — a 'count' movement per difference through the ledger, the expected and cost written beside each line, the
// count closed and an audit row, at once — or the cancelling.
import type { Database } from "bun:sqlite";
import type { Clock, Ids } from "../../domain/kernel/clock.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import {
  type CountCommand,
  type CountedProduct,
  type CountScope,
  decide,
  defaultUncounted,
  reviewCount,
  scopeLabel,
  type UncountedRule,
} from "../../domain/stock-count/count.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { inOneTransaction } from "../db/transaction.ts";
import type { StoreSettings } from "../settings/settings.ts";
import type { OfficeActor } from "./adjustments.ts";
import { type CountHeader, countQueries, type ReviewRow, type UncountedProduct } from "./count-queries.ts";
import type { StockLedger } from "./ledger.ts";

/** What a count is opened over, as the start page sends it: a category by id, a location as products have it. */
export type ScopeChoice = { kind: "all" } | { kind: "category"; categoryId: number } | { kind: "location"; location: string };

/** A count's lines and the products nobody counted, as a review reads them under `rule`. */
export function reviewOf(lines: readonly ReviewRow[], uncounted: readonly UncountedProduct[], rule: UncountedRule) {
  const notCounted: ReviewRow[] = uncounted.map((u) => ({
    productId: u.productId,
    sku: u.sku,
    name: u.name,
    weighed: u.weighed,
    countedMilli: null,
    expectedMilli: u.onHandMilli,
    cost: u.cost,
  }));
  return reviewCount([...lines, ...notCounted], rule);
}

/** Whether two scopes may hold the same product: a whole-store count holds every one. */
const overlaps = (a: CountScope, b: CountScope) =>
  a.kind === "all" ||
  b.kind === "all" ||
  (a.kind === "category" && b.kind === "category" && a.categoryId === b.categoryId) ||
  (a.kind === "location" && b.kind === "location" && a.location === b.location);

export function countActions(deps: { db: Database; clock: Clock; ids: Ids; audit: AuditLog; ledger: StockLedger; settings: () => StoreSettings }) {
  const { db, clock, ids, audit, ledger, settings } = deps;
  const tx = inOneTransaction(db);
  const reads = countQueries(db);
  const lastMovement = "(SELECT coalesce(max(id), 0) FROM stock_movements)";
  const q = {
    open: db.query(`INSERT INTO stock_counts(id, scope_kind, scope_value, opened_at, opened_by, opened_through) VALUES (?, ?, ?, ?, ?, ${lastMovement})`),
    // a scan adds to its line in the one statement: two devices scanning the same product at once never lose one (the
    // decider has checked the sum against the cap, read in the same BEGIN IMMEDIATE transaction)
    add: db.query<{ counted_milli: number }, [string, number, number, string]>(
      `INSERT INTO count_lines(count_id, product_id, counted_milli, counted_through, counted_at) VALUES (?1, ?2, ?3, ${lastMovement}, ?4)
       ON CONFLICT(count_id, product_id) DO UPDATE SET counted_milli = counted_milli + excluded.counted_milli,
         counted_through = excluded.counted_through, counted_at = excluded.counted_at
       RETURNING counted_milli`,
    ),
    set: db.query<{ counted_milli: number }, [string, number, number, string]>(
      `INSERT INTO count_lines(count_id, product_id, counted_milli, counted_through, counted_at) VALUES (?1, ?2, ?3, ${lastMovement}, ?4)
       ON CONFLICT(count_id, product_id) DO UPDATE SET counted_milli = excluded.counted_milli,
         counted_through = excluded.counted_through, counted_at = excluded.counted_at
       RETURNING counted_milli`,
    ),
    changed: db.query<unknown, [number, string]>("UPDATE stock_counts SET changes = changes + ? WHERE id = ?"),
    // on approval: what the books expected of each line and its cost, written down in one statement
    freeze: db.query<unknown, [string]>(
      `UPDATE count_lines SET
         expected_milli = (SELECT p.stock_milli FROM products p WHERE p.id = count_lines.product_id)
           - coalesce((SELECT sum(m.qty_milli) FROM stock_movements m WHERE m.product_id = count_lines.product_id AND m.id > count_lines.counted_through), 0),
         unit_cost = (SELECT p.cost FROM products p WHERE p.id = count_lines.product_id)
       WHERE count_id = ?`,
    ),
    notCounted: db.query<unknown, [string, number, string, number, number | null]>(
      `INSERT INTO count_lines(count_id, product_id, counted_milli, counted_through, counted_at, expected_milli, unit_cost, uncounted)
       VALUES (?, ?, 0, ${lastMovement}, ?, ?, ?, 1)`,
    ),
    approved: db.query<unknown, [string, number, UncountedRule, number, string]>(
      "UPDATE stock_counts SET status = 'approved', approved_at = ?, approved_by = ?, uncounted = ?, value = ?, changes = changes + 1 WHERE id = ?",
    ),
    cancelled: db.query<unknown, [string, number, string]>(
      "UPDATE stock_counts SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, changes = changes + 1 WHERE id = ?",
    ),
  };

  const header = (countId: string): CountHeader => {
    const h = reads.header(countId);
    if (!h) throw new Problem("stock_count_not_found", "There is no such stock count; choose one from the list.", { count_id: countId.slice(0, 40) });
    return h;
  };
  const product = (productId: number): CountedProduct => {
    const p = reads.product(productId);
    if (!p) throw new Problem("unknown_product", `No product has the id ${productId}.`, { product_id: productId });
    return p;
  };
  /** The decider's one event for a command on this count (or its refusal). */
  const decideOn = (h: CountHeader, command: CountCommand) => decide(command, reads.state(h));

  const record = (who: OfficeActor, action: string, subject: string, detail: unknown, approvedBy: string | null = null) =>
    audit.record({
      at: clock.now().toISOString(),
      userId: who.userId,
      userName: who.userName,
      register: who.registerName,
      action,
      subject,
      detail,
      ...(approvedBy ? { approvedBy } : {}),
    });

  function resolveScope(choice: ScopeChoice): CountScope {
    if (choice.kind === "all") return choice;
    if (choice.kind === "category") {
      const c = Number.isSafeInteger(choice.categoryId) ? reads.category(choice.categoryId) : null;
      if (!c) throw new Problem("invalid_input", "Choose the category to count from the list.");
      return { kind: "category", categoryId: c.id, name: c.name };
    }
    if (!reads.locationInUse(choice.location)) {
      throw new Problem("invalid_input", `No product is at the location "${choice.location.slice(0, 100)}"; choose a location from the list.`);
    }
    return choice;
  }

  return {
    /** A new count over the scope; refused while another open count may hold the same products (count into that one). */
    open: tx((who: OfficeActor, choice: ScopeChoice): { id: string } => {
      const scope = resolveScope(choice);
      const other = reads.openCounts().find((c) => overlaps(c.scope, scope));
      if (other) {
        throw new Problem(
          "stock_count_open",
          `A count of ${scopeLabel(other.scope)} is open already; count into it from every device, or approve or cancel it first.`,
          { count_id: other.id },
        );
      }
      const at = clock.now().toISOString();
      const id = ids.next();
      decide({ type: "OpenCount", at, countId: id, scope, userId: who.userId }, { status: "none" });
      const value = scope.kind === "all" ? null : scope.kind === "category" ? String(scope.categoryId) : scope.location;
      q.open.run(id, scope.kind, value, at, who.userId);
      record(who, "stock.count_opened", id, { scope: scopeLabel(scope) });
      return { id };
    }),

    /**
     * Whether a row of a count list would be taken (null), or why not: nothing is written. `earlierMilli`: what the
     * list's earlier rows add to the same product's line.
     */
    check(countId: string, productId: number, qtyMilli: number, earlierMilli = 0): Problem | null {
      try {
        const countedMilli = reads.counted(countId, productId) + earlierMilli;
        decideOn(header(countId), { type: "CountFromList", at: clock.now().toISOString(), product: product(productId), qtyMilli, countedMilli });
        return null;
      } catch (e) {
        if (e instanceof Problem) return e;
        throw e;
      }
    },

    /** One scan (or "x12"): added to the product's line. The line's count now, whoever else is counting it. */
    count: tx((countId: string, productId: number, qtyMilli: number): { productId: number; countedMilli: number } => {
      const at = clock.now().toISOString();
      decideOn(header(countId), { type: "CountItem", at, product: product(productId), qtyMilli, countedMilli: reads.counted(countId, productId) });
      const row = q.add.get(countId, productId, qtyMilli, at)!;
      q.changed.run(1, countId);
      return { productId, countedMilli: row.counted_milli };
    }),

    /** A line set to what is on the shelf, typed: it replaces the scans so far. */
    set: tx((countId: string, productId: number, qtyMilli: number): { productId: number; countedMilli: number } => {
      const at = clock.now().toISOString();
      decideOn(header(countId), { type: "SetLine", at, product: product(productId), qtyMilli });
      const row = q.set.get(countId, productId, qtyMilli, at)!;
      q.changed.run(1, countId);
      return { productId, countedMilli: row.counted_milli };
    }),

    /** A count list (a CSV), each row adding to its line: all of it, or — at the first refusal — none. */
    addList: tx((who: OfficeActor, countId: string, rows: readonly { productId: number; qtyMilli: number }[]): { rows: number } => {
      const h = header(countId);
      const at = clock.now().toISOString();
      for (const r of rows) {
        decideOn(h, { type: "CountFromList", at, product: product(r.productId), qtyMilli: r.qtyMilli, countedMilli: reads.counted(countId, r.productId) });
        q.add.get(countId, r.productId, r.qtyMilli, at);
      }
      q.changed.run(rows.length, countId);
      record(who, "stock.count_list_added", countId, { rows: rows.length });
      return { rows: rows.length };
    }),

    /**
     * The count approved: each difference a 'count' movement naming the count. `seen` is the sheet's `changes` the
     * approver looked at: a scan since then refuses it, so nobody approves numbers they did not see. Above the shop's
     * value `approver` names the manager.
     */
    approve: tx(
      (
        who: OfficeActor,
        countId: string,
        choice: { uncounted?: UncountedRule | undefined; seen: number },
        approver: { id: number; name: string } | null,
      ): { movements: number; value: number; net: number } => {
        const h = header(countId);
        if (h.status === "open" && choice.seen !== h.changes) {
          throw new Problem("stock_count_changed", "The count changed since the report was shown (another device counted); look at the report again.", {
            seen: choice.seen,
            now: h.changes,
          });
        }
        const rule = choice.uncounted ?? defaultUncounted(h.scope);
        const at = clock.now().toISOString();
        const uncounted = h.status === "open" && rule === "zero" ? reads.uncounted(h) : [];
        const review = reviewOf(reads.reviewRows(countId), uncounted, rule);
        const [e] = decideOn(h, {
          type: "ApproveCount",
          at,
          userId: who.userId,
          review,
          approvalOver: settings().adjustmentApproval,
          approver,
        });
        if (e?.type !== "CountApproved") throw new Error("an approval decides CountApproved");
        q.freeze.run(countId);
        for (const u of uncounted) q.notCounted.run(countId, u.productId, at, u.onHandMilli, u.cost);
        for (const m of e.movements) {
          ledger.move({ productId: m.productId, qtyMilli: m.qtyMilli, reason: "count", at, userId: who.userId, note: "Stock count", document: countId });
        }
        q.approved.run(at, approver?.id ?? who.userId, rule, e.value, countId);
        const t = review.totals;
        record(
          who,
          "stock.count_approved",
          countId,
          {
            scope: scopeLabel(h.scope),
            counted: t.counted,
            not_counted: t.notCounted,
            uncounted: rule,
            movements: e.movements.length,
            gain: t.gain,
            loss: t.loss,
            net: t.net,
            value: t.value,
            no_cost: t.noCost,
          },
          approver && approver.id !== who.userId ? approver.name : null,
        );
        return { movements: e.movements.length, value: t.value, net: t.net };
      },
    ),

    cancel: tx((who: OfficeActor, countId: string): void => {
      const h = header(countId);
      decideOn(h, { type: "CancelCount", at: clock.now().toISOString(), userId: who.userId });
      q.cancelled.run(clock.now().toISOString(), who.userId, countId);
      record(who, "stock.count_cancelled", countId, { scope: scopeLabel(h.scope), lines: h.lines });
    }),
  };
}

export type CountActions = ReturnType<typeof countActions>;
