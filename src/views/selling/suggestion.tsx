// One quiet suggestion under the scan field after a scan: a product often bought with the one scanned, and a button
// that adds it as any quick key does (the same /register/add). Empty (and not shown) when there is nothing to offer;
// every other sale action empties it.
import { usePage } from "../ui/context.ts";
import { money } from "../ui/format.ts";

export type SuggestionView = { productId: number; name: string; price: number };

export function Suggestion({ suggestion, oob }: { suggestion: SuggestionView | null; oob?: boolean }) {
  const { locale } = usePage();
  return (
    <div id="suggestion" class="suggestion" data-testid="suggestion" hx-swap-oob={oob ? "true" : undefined}>
      {suggestion && (
        <>
          <span class="suggestion-text">
            Often bought with: <strong data-testid="suggestion-name">{suggestion.name}</strong> {money(suggestion.price, locale)}
          </span>
          <button
            type="button"
            class="suggestion-add"
            data-testid="suggestion-add"
            data-keeps-scan-focus
            aria-label={`Add ${suggestion.name}`}
            hx-post="/register/add"
            hx-vals={JSON.stringify({ product_id: String(suggestion.productId) })}
            hx-target="#lines"
            hx-swap="outerHTML"
          >
            Add
          </button>
        </>
      )}
    </div>
  );
}
