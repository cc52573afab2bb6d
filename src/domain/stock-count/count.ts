// A stock count as a decider: opened over a scope (the whole store, a category, a shelf location), counted item by item
// from any number of devices (each scan adds; a line may be set to a typed number), reviewed against what the books
// expected when each product was counted, then approved — its variances becoming 'count' movements — or cancelled.
// Time and ids come in with the commands. The count's lines are the store's to keep (each scan one small transaction
// adding to its line, so two devices never lose a scan); `tally` says what that adding means, and the approval is
// decided on the review of those lines.
import { mulDivRoundHalfUp } from "../kernel/money.ts";
import { Problem } from "../kernel/problem.ts";

export type CountScope = { kind: "all" } | { kind: "category"; categoryId: number; name: string } | { kind: "location"; location: string };

/** A product as a count sees it: enough to say whether it is in the scope and how it is counted. */
export type CountedProduct = { productId: number; name: string; weighed: boolean; categoryId: number | null; location: string | null };

export type CountStatus = "open" | "approved" | "cancelled";

export type CountState = { status: "none" } | { status: CountStatus; countId: string; scope: CountScope; openedAt: string };

/** Products of the scope nobody counted: none on the shelf ("zero"), or as the books say ("leave"). */
export type UncountedRule = "zero" | "leave";

/** What the books expected of a product, what was counted (null: nobody counted it) and what one costs the shop. */
export type ReviewInput = { productId: number; countedMilli: number | null; expectedMilli: number; cost: number | null };

/** A line as reviewed: how far the shelf is from the books, and what that is worth at cost (no cost: 0, flagged). */
export type VarianceLine<L extends ReviewInput = ReviewInput> = L & { varianceMilli: number; value: number; noCost: boolean };

export type Review<L extends ReviewInput = ReviewInput> = {
  lines: VarianceLine<L>[];
  uncounted: UncountedRule;
  /** At cost, minor units: what was found, what was missing, the two together, and both as sizes (the approval's). */
  totals: { gain: number; loss: number; net: number; value: number; noCost: number; counted: number; notCounted: number };
};

/** One movement per product whose shelf is not what the books say. */
export type CountMovement = { productId: number; qtyMilli: number };

export type CountEvent =
  | { type: "CountOpened"; at: string; countId: string; scope: CountScope; userId: number }
  | { type: "ItemCounted"; at: string; productId: number; qtyMilli: number }
  | { type: "LineSet"; at: string; productId: number; qtyMilli: number }
  | { type: "CountApproved"; at: string; userId: number; approverId: number | null; uncounted: UncountedRule; movements: CountMovement[]; value: number }
  | { type: "CountCancelled"; at: string; userId: number };

export type CountCommand =
  | { type: "OpenCount"; at: string; countId: string; scope: CountScope; userId: number }
  /** `countedMilli`: the product's line so far (0 when it has none), which the scan adds to. */
  | { type: "CountItem"; at: string; product: CountedProduct; qtyMilli: number; countedMilli: number }
  | { type: "SetLine"; at: string; product: CountedProduct; qtyMilli: number }
  /** A row of a count list brought in (a CSV): adds like a scan, and 0 says the product was counted and none found. */
  | { type: "CountFromList"; at: string; product: CountedProduct; qtyMilli: number; countedMilli: number }
  | {
      type: "ApproveCount";
      at: string;
      userId: number;
      review: Review;
      /** The shop's adjustment_approval_minor: differences worth more than this need a manager. */
      approvalOver: number;
      /** The manager who approved, when one did (a manager approving their own count names themselves). */
      approver: { id: number } | null;
    }
  | { type: "CancelCount"; at: string; userId: number };

/** More than any shelf holds in one scan or one line (thousandths): scans adding up may not take a line past it. */
export const MAX_COUNT_MILLI = 1_000_000_000;

/** A whole-store count means what is not counted is not there; a partial one leaves the rest of the shop alone. */
export const defaultUncounted = (scope: CountScope): UncountedRule => (scope.kind === "all" ? "zero" : "leave");

/** The scope in the shop's words: "the whole store", "category Dairy", "location Aisle 3". */
export function scopeLabel(scope: CountScope): string {
  switch (scope.kind) {
    case "all":
      return "the whole store";
    case "category":
      return `category ${scope.name}`;
    case "location":
      return `location ${scope.location}`;
    default: {
      const _exhaustive: never = scope;
      return _exhaustive;
    }
  }
}

export function inScope(scope: CountScope, p: Pick<CountedProduct, "categoryId" | "location">): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "category":
      return p.categoryId === scope.categoryId;
    case "location":
      return p.location === scope.location;
    default: {
      const _exhaustive: never = scope;
      return _exhaustive;
    }
  }
}

/** A line's count after a scan or a typed number: scans add, a typed number replaces. */
export function tally(counted: Readonly<Record<number, number>>, e: CountEvent): Record<number, number> {
  if (e.type === "ItemCounted") return { ...counted, [e.productId]: (counted[e.productId] ?? 0) + e.qtyMilli };
  if (e.type === "LineSet") return { ...counted, [e.productId]: e.qtyMilli };
  return { ...counted };
}

/**
 * Each line's variance (counted − expected) and its value at cost. A product nobody counted is, under "zero", a
 * variance of all the books say; under "leave", none. The approval's measure is the size of every difference, found or
 * missing alike: a large loss hidden by a large find still needs a manager.
 */
export function reviewCount<L extends ReviewInput>(lines: readonly L[], uncounted: UncountedRule): Review<L> {
  const out: VarianceLine<L>[] = [];
  const totals = { gain: 0, loss: 0, net: 0, value: 0, noCost: 0, counted: 0, notCounted: 0 };
  // summed exactly: many large differences pass 2^53, and the approval must see that rather than a rounded float
  let gain = 0n;
  let loss = 0n;
  for (const l of lines) {
    if (l.countedMilli === null) totals.notCounted++;
    else totals.counted++;
    const varianceMilli = l.countedMilli === null ? (uncounted === "zero" ? -l.expectedMilli : 0) : l.countedMilli - l.expectedMilli;
    const value = mulDivRoundHalfUp(varianceMilli, l.cost ?? 0, 1000);
    const noCost = l.cost === null;
    if (noCost && varianceMilli !== 0) totals.noCost++;
    if (value > 0) gain += BigInt(value);
    else loss += BigInt(value);
    out.push({ ...l, varianceMilli, value, noCost });
  }
  totals.gain = Number(gain);
  totals.loss = Number(loss);
  totals.net = Number(gain + loss);
  totals.value = Number(gain - loss);
  return { lines: out, uncounted, totals };
}

/** Whether the differences are worth more than a supervisor may approve alone. */
export const needsManager = (review: Pick<Review, "totals">, approvalOver: number): boolean => review.totals.value > approvalOver;

export function decide(command: CountCommand, state: CountState): CountEvent[] {
  const at = command.at;
  switch (command.type) {
    case "OpenCount": {
      if (state.status !== "none") throw new Problem("invalid_input", "This count has been started already.");
      checkScope(command.scope);
      return [{ type: "CountOpened", at, countId: command.countId, scope: command.scope, userId: command.userId }];
    }
    case "CountItem": {
      const open = mustBeOpen(state);
      checkProduct(open.scope, command.product);
      checkQuantity(command.product, command.qtyMilli, 1);
      checkLine(command.product, command.countedMilli, command.qtyMilli);
      return [{ type: "ItemCounted", at, productId: command.product.productId, qtyMilli: command.qtyMilli }];
    }
    case "SetLine": {
      const open = mustBeOpen(state);
      checkProduct(open.scope, command.product);
      checkQuantity(command.product, command.qtyMilli, 0);
      return [{ type: "LineSet", at, productId: command.product.productId, qtyMilli: command.qtyMilli }];
    }
    case "CountFromList": {
      const open = mustBeOpen(state);
      checkProduct(open.scope, command.product);
      checkQuantity(command.product, command.qtyMilli, 0);
      checkLine(command.product, command.countedMilli, command.qtyMilli);
      return [{ type: "ItemCounted", at, productId: command.product.productId, qtyMilli: command.qtyMilli }];
    }
    case "ApproveCount": {
      mustBeOpen(state);
      const { review } = command;
      if (review.totals.counted === 0) throw new Problem("invalid_input", "Nothing has been counted yet: count the shelves first, or cancel the count.");
      checkSize(review);
      if (needsManager(review, command.approvalOver) && !command.approver) {
        throw new Problem("approval_needed", "The differences are worth more than a supervisor approves alone: a manager approves this count.", {
          value: review.totals.value,
          over: command.approvalOver,
        });
      }
      const movements = review.lines.filter((l) => l.varianceMilli !== 0).map((l) => ({ productId: l.productId, qtyMilli: l.varianceMilli }));
      return [
        {
          type: "CountApproved",
          at,
          userId: command.userId,
          approverId: command.approver?.id ?? null,
          uncounted: review.uncounted,
          movements,
          value: review.totals.value,
        },
      ];
    }
    case "CancelCount": {
      mustBeOpen(state);
      return [{ type: "CountCancelled", at, userId: command.userId }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolve(state: CountState, event: CountEvent): CountState {
  switch (event.type) {
    case "CountOpened":
      return { status: "open", countId: event.countId, scope: event.scope, openedAt: event.at };
    case "ItemCounted":
    case "LineSet":
      return state;
    case "CountApproved":
      return state.status === "none" ? state : { ...state, status: "approved" };
    case "CountCancelled":
      return state.status === "none" ? state : { ...state, status: "cancelled" };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function run(state: CountState, command: CountCommand): { state: CountState; events: CountEvent[] } {
  const events = decide(command, state);
  return { state: events.reduce(evolve, state), events };
}

/** The count, when it is open; else why nothing more can be done on it (a conflict when it is closed). */
export function mustBeOpen(state: CountState): Extract<CountState, { status: CountStatus }> {
  if (state.status === "none") throw new Problem("stock_count_not_found", "There is no such stock count.");
  if (state.status !== "open") {
    throw new Problem("stock_count_closed", `This count was ${state.status} already; nothing more can be counted or changed on it. Start a new count.`, {
      status: state.status,
    });
  }
  return state;
}

function checkScope(scope: CountScope): void {
  if (scope.kind === "category" && (!Number.isSafeInteger(scope.categoryId) || scope.categoryId <= 0 || !scope.name)) {
    throw new Problem("invalid_input", "Choose the category to count from the list.");
  }
  if (scope.kind === "location" && (scope.location.trim() === "" || scope.location !== scope.location.trim() || scope.location.length > 100)) {
    throw new Problem("invalid_input", "Choose the shelf location to count from the list.");
  }
}

function checkProduct(scope: CountScope, product: CountedProduct): void {
  if (!inScope(scope, product)) {
    throw new Problem(
      "not_in_count",
      `${product.name} is not in this count (${scopeLabel(scope)}); put it back where it belongs, or count it in another count.`,
      {
        product_id: product.productId,
      },
    );
  }
}

/** A scan or a list's row adds to its line: not past what any shelf holds, however many scans it takes. */
function checkLine(product: CountedProduct, countedMilli: number, qtyMilli: number): void {
  if (!Number.isSafeInteger(countedMilli) || countedMilli < 0 || countedMilli + qtyMilli > MAX_COUNT_MILLI) {
    throw new Problem(
      "quantity_too_large",
      `This would take the line of ${product.name} past a million, more than any shelf holds; type the line's number on the sheet instead.`,
      { product_id: product.productId, counted_milli: countedMilli, qty_milli: qtyMilli, max_milli: MAX_COUNT_MILLI },
    );
  }
}

/**
 * Differences too large to be stored or moved exactly (beyond 2^53 minor units or thousandths) are a mistake in the
 * counting or the costs, not a shop's stock: refused before anything is valued onto the books.
 */
function checkSize(review: Review): void {
  const t = review.totals;
  const exact = [t.gain, t.loss, t.net, t.value].every(Number.isSafeInteger) && review.lines.every((l) => Number.isSafeInteger(l.varianceMilli));
  if (!exact) {
    throw new Problem(
      "stock_count_too_large",
      "The differences on this count are too large to be right: look for a line counted or costed far too high, correct it, then approve.",
      { value: String(t.value) },
    );
  }
}

/** A scan adds at least something; a typed number may be 0 (the shelf is empty). Units are whole. */
function checkQuantity(product: CountedProduct, qtyMilli: number, least: 0 | 1): void {
  if (!Number.isSafeInteger(qtyMilli) || qtyMilli < least || qtyMilli > MAX_COUNT_MILLI) {
    throw new Problem(
      "invalid_quantity",
      least === 0 ? `Type how many of ${product.name} are on the shelf: 0 or more.` : `Count at least one of ${product.name}, and fewer than a million.`,
    );
  }
  if (!product.weighed && qtyMilli % 1000 !== 0) throw new Problem("invalid_quantity", `${product.name} is counted in whole units.`);
}
