// What the store and head office say to each other: the one definition both sides use.
// (Grows with each outbox kind; see DESIGN §7.)

/** Sales figures of a period, in minor units: the store's /api/v1/summary and head office's per-store summary alike. */
export type SalesSummary = {
  from: string | null;
  to: string | null;
  sales_count: number;
  total_minor: number;
  tax_minor: number;
  discount_minor: number;
  rounding_minor: number;
  by_method: Record<string, number>;
};
