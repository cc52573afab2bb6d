// Query parameters shared by the listing endpoints: periods, limits and opaque cursors.

import { z } from "zod";
import { isCalendarDate, isInstant } from "../../domain/kernel/calendar.ts";
import { Problem } from "../../domain/kernel/problem.ts";
import type { Period } from "../selling/queries.ts";

export const limitParam = z.coerce.number().int().min(1).max(500).default(50);

function parseBound(name: string, value: string | undefined): { kind: "date" | "instant"; value: string } | null {
  if (value === undefined || value === "") return null;
  if (isCalendarDate(value)) return { kind: "date", value };
  if (isInstant(value)) return { kind: "instant", value: new Date(value).toISOString() };
  throw new Problem("invalid_period", `${name} must be a date (2026-11-25) or a time (2026-11-25T09:00:00Z).`, { [name]: value });
}

/** from/to as business dates or instants; both must be of one kind. `today` fills in when both are missing. */
export function parsePeriod(from: string | undefined, to: string | undefined, today: string | null): Period {
  const f = parseBound("from", from);
  const t = parseBound("to", to);
  if (f && t && f.kind !== t.kind) throw new Problem("invalid_period", "from and to must both be dates or both be times.");
  if (!f && !t) return today ? { kind: "date", from: today, to: today } : { kind: "date", from: null, to: null };
  return { kind: (f ?? t)!.kind, from: f?.value ?? null, to: t?.value ?? null };
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the error below
  }
  throw new Problem("invalid_cursor", "The cursor is not one this server gave out; start again without it.");
}
