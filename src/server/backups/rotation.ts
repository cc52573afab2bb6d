// Which backups to keep: the newest of each of the last `daily` days that have one, and the newest of each of the last
// `weekly` weeks (Monday to Sunday, in the store's time zone). The rest go. The newest backup is always kept.

export type Keep = { daily: number; weekly: number };

/** The store's calendar date of `at` (YYYY-MM-DD). */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The Monday that starts the week of a calendar date. */
function weekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The names among `backups` that rotation removes, given when each was taken. */
export function backupsToRemove(backups: readonly { name: string; at: Date }[], keep: Keep, timeZone: string): string[] {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1));
  const kept = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const b of newestFirst) {
    const day = localDate(b.at, timeZone);
    if (!days.has(day) && days.size < Math.max(1, keep.daily)) {
      days.add(day);
      kept.add(b.name);
    }
    const week = weekOf(day);
    if (!weeks.has(week) && weeks.size < keep.weekly) {
      weeks.add(week);
      kept.add(b.name);
    }
  }
  return newestFirst.filter((b) => !kept.has(b.name)).map((b) => b.name);
}
