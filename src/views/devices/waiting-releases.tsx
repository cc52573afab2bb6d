// Catalog releases the store holds until their effective time, on the Devices page: when each takes effect (the
// store's time zone) and what it will change, so a manager knows Monday's prices are here before Monday.
import { usePage } from "../ui/context.ts";
import { time } from "../ui/format.ts";

export type WaitingReleaseView = { version: number; effectiveAt: string; products: number; taxClasses: number; storePrices: number };
/** The soonest ones, and how many wait in all. */
export type WaitingReleasesView = { rows: WaitingReleaseView[]; total: number };

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 products, 1 tax class": the parts a release changes; "nothing" for an empty one. */
export function releaseChanges(r: WaitingReleaseView): string {
  const parts = [
    r.products > 0 ? count(r.products, "product", "products") : null,
    r.taxClasses > 0 ? count(r.taxClasses, "tax class", "tax classes") : null,
    r.storePrices > 0 ? count(r.storePrices, "store price", "store prices") : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(", ") : "nothing";
}

export function WaitingReleases({ rows, total }: WaitingReleasesView) {
  const { locale } = usePage();
  if (total === 0) {
    return (
      <p class="empty" data-testid="waiting-releases">
        Catalog releases waiting for their time: none waiting.
      </p>
    );
  }
  return (
    <table data-testid="waiting-releases">
      <caption>Catalog releases waiting for their time</caption>
      <thead>
        <tr>
          <th scope="col">Release</th>
          <th scope="col">Takes effect ({locale.timeZone})</th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-testid="waiting-release" data-version={String(r.version)}>
            <td>{r.version}</td>
            <td>
              <time datetime={r.effectiveAt}>{time(r.effectiveAt, locale)}</time>
            </td>
            <td>{releaseChanges(r)}</td>
          </tr>
        ))}
      </tbody>
      {total > rows.length && (
        <tfoot>
          <tr>
            <td colspan={3}>and {total - rows.length} more after these</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
