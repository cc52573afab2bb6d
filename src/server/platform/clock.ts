// The real clock and id source, given by the composition root; everything else receives them.
import type { Clock, Ids } from "../../domain/kernel/clock.ts";

export const systemClock: Clock = { now: () => new Date() };
/** Time-ordered UUIDs (v7): sortable by creation, unique across registers and restarts. */
export const uuidIds: Ids = { next: () => Bun.randomUUIDv7() };
