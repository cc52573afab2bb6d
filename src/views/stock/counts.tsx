// Stock counts (/stock/counts): the counts, open ones first, and starting one — over the whole store, a category or a
// shelf location. Every device counts into the one open count of its products.
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money, time } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type CountRowView = {
  id: string;
  scope: string;
  status: "open" | "approved" | "cancelled";
  openedAt: string;
  openedBy: string | null;
  lines: number;
  /** The differences at cost, once approved. */
  value: number | null;
};

export type CountStart = { scope: "all" | "category" | "location"; category: string; location: string };

export type CountListProps = {
  counts: CountRowView[];
  categories: { id: number; name: string }[];
  locations: string[];
  typed?: CountStart | undefined;
  message?: { text: string; kind: "info" | "error" } | undefined;
};

export const statusWords = { open: "Counting", approved: "Approved", cancelled: "Cancelled" } as const;

export function CountListPage(p: CountListProps) {
  const { locale } = usePage();
  const t = p.typed ?? { scope: "all", category: "", location: "" };
  return (
    <OfficePage title="Stock counts">
      <h1>Stock counts</h1>
      {p.message && (
        <p class={`message ${p.message.kind}`} role={p.message.kind === "error" ? "alert" : "status"} data-testid="form-message">
          {p.message.text}
        </p>
      )}
      <form method="post" action="/stock/counts" class="stack" data-testid="count-start">
        <Csrf />
        <fieldset>
          <legend>Start a count of</legend>
          <label>
            <input type="radio" name="scope" value="all" checked={t.scope === "all"} data-testid="count-scope-all" /> the whole store (what is not counted is
            taken as none, unless you choose otherwise when approving)
          </label>
          <label>
            <input type="radio" name="scope" value="category" checked={t.scope === "category"} data-testid="count-scope-category" /> one category
          </label>
          <select name="category" aria-label="Category" data-testid="count-category">
            <option value="">Choose…</option>
            {p.categories.map((c) => (
              <option value={String(c.id)} selected={String(c.id) === t.category}>
                {c.name}
              </option>
            ))}
          </select>
          <label>
            <input type="radio" name="scope" value="location" checked={t.scope === "location"} data-testid="count-scope-location" /> one shelf location
          </label>
          <select name="location" aria-label="Location" data-testid="count-location">
            <option value="">Choose…</option>
            {p.locations.map((l) => (
              <option value={l} selected={l === t.location}>
                {l}
              </option>
            ))}
          </select>
        </fieldset>
        <button type="submit" class="primary" data-testid="count-start-button">
          Start a count
        </button>
      </form>
      {p.counts.length === 0 ? (
        <p>No stock count yet.</p>
      ) : (
        <table class="grid" data-testid="count-list">
          <thead>
            <tr>
              <th>Started</th>
              <th>Of</th>
              <th>By</th>
              <th class="num">Products</th>
              <th>Status</th>
              <th class="num">Differences</th>
            </tr>
          </thead>
          <tbody>
            {p.counts.map((c) => (
              <tr data-testid="count-row">
                <td>
                  <a href={`/stock/counts/${c.id}`}>{time(c.openedAt, locale)}</a>
                </td>
                <td>{c.scope}</td>
                <td>{c.openedBy ?? "—"}</td>
                <td class="num">{c.lines}</td>
                <td>{statusWords[c.status]}</td>
                <td class="num">{c.value === null ? "—" : money(c.value, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </OfficePage>
  );
}
