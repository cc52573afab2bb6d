// The one clock and the one id source. Tests pass their own; the domain only ever receives their values.
export type Clock = { now(): Date };
export type Ids = { next(): string };

export const systemClock: Clock = { now: () => new Date() };
/** Time-ordered UUIDs (v7): sortable by creation, unique across registers and restarts. */
export const uuidIds: Ids = { next: () => Bun.randomUUIDv7() };

/** The shop's calendar day of an instant, in the store's time zone: YYYY-MM-DD. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function businessDate(at: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}
