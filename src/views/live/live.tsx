// The live channel on the page: the element that keeps /events open (htmx's SSE extension), the back office's
// "Low stock" badge and the region its alerts appear in, and the pieces each event swaps in out of band.
import { useRequestContext } from "hono/jsx-renderer";
import { quantity } from "../ui/format.ts";

/** What a page knows of the live channel, set per request by the pages sub-app; read only when a page draws it. */
export type LiveView = { lowStockCount: () => number };

/** The live view of this request, or null where the pages sub-app did not set it (an error page drawn early). */
export function useLive(): LiveView | null {
  try {
    return useRequestContext<{ Variables: { live?: LiveView } }>().get("live") ?? null;
  } catch {
    return null;
  }
}

/** One low-stock alert as the back office reads it. */
export type LowStockAlertView = { productId: number; name: string; weighed: boolean; onHandMilli: number; reorderPointMilli: number };

/**
 * Keeps /events open while the page is: its messages are out-of-band pieces only (static/live.js hands the named ones
 * to htmx's swap), so the element itself never changes. Reconnects by itself, with back-off, when the server is away.
 */
export function LiveConnection() {
  return <div id="live" hidden hx-sse:connect="/events" hx-swap="none" data-testid="live"></div>;
}

/** "Low stock 3" in the back office's bar, to the list of what to reorder; `count` null: not known on this page. */
export function LowStockBadge({ count, oob }: { count: number | null; oob?: boolean }) {
  return (
    <a
      id="low-stock-badge"
      href="/stock/low"
      class={`pill low-stock-badge ${count ? "warn" : "ok"}`}
      data-testid="low-stock-badge"
      hx-swap-oob={oob ? "true" : undefined}
      aria-label={count === null ? "Low stock" : `Low stock: ${count} ${count === 1 ? "product" : "products"}`}
    >
      Low stock{" "}
      {count !== null && (
        <b class="count" data-testid="low-stock-count">
          {count}
        </b>
      )}
    </a>
  );
}

/** Where alerts appear, newest last (static/live.js keeps the last few). */
export function LiveToasts() {
  return <div id="live-toasts" class="toasts" role="status" aria-live="polite" data-testid="live-toasts"></div>;
}

export function lowStockSentence(a: LowStockAlertView): string {
  return `${a.name} is low: ${quantity(a.onHandMilli, a.weighed)} left, reorder point ${quantity(a.reorderPointMilli, a.weighed)}`;
}

/** A `low-stock` event: the alert added to the toasts, and the badge with how many products are low now. */
export function LowStockAlert({ alert, count }: { alert: LowStockAlertView; count: number }) {
  return (
    <>
      <div hx-swap-oob="beforeend:#live-toasts">
        <p class="toast warn" data-testid="low-stock-toast" data-product-id={String(alert.productId)}>
          <span>{lowStockSentence(alert)}</span> <a href="/stock/low">What to reorder</a>{" "}
          <button type="button" class="dismiss" data-dismiss-toast aria-label="Dismiss">
            ×
          </button>
        </p>
      </div>
      <LowStockBadge count={count} oob />
    </>
  );
}
