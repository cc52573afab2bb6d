// Adjusting stock by hand (/stock/adjust): the product (scanned, or its SKU), how much comes off or on, why; above the
// shop's value a manager approves on the same page. After it, what on-hand is now.
import { type Approver, ManagerApproval } from "../ui/approval.tsx";
import { Csrf } from "../ui/card.tsx";
import { usePage } from "../ui/context.ts";
import { money } from "../ui/format.ts";
import { OfficePage } from "../ui/office.tsx";

export type AdjustPageProps = {
  reasons: { code: string; label: string; sign: -1 | 0 | 1 }[];
  approvers: Approver[];
  /** Above this value (minor units, at the shelf price) a manager approves. */
  approvalOver: number;
  /** What was typed, shown again when it was refused. */
  typed?: { code: string; qty: string; reason: string; note: string };
  message?: { text: string; kind: "info" | "error" } | undefined;
};

export function AdjustPage(p: AdjustPageProps) {
  const { locale } = usePage();
  const t = p.typed ?? { code: "", qty: "", reason: "", note: "" };
  return (
    <OfficePage title="Adjust stock">
      <h1>Adjust stock</h1>
      {p.message && (
        <p class={`message ${p.message.kind}`} role={p.message.kind === "error" ? "alert" : "status"} data-testid="form-message">
          {p.message.text}
        </p>
      )}
      <form method="post" action="/stock/adjust" class="stack" data-testid="adjust-form">
        <Csrf />
        <label for="adjust-code">Product: scan it, or type its SKU</label>
        <input id="adjust-code" name="code" value={t.code} required maxlength={64} autocomplete="off" autofocus data-testid="adjust-code" />
        <label for="adjust-qty">How much: −2 takes two off the shelf, 3 puts three on (kg for weighed items)</label>
        <input id="adjust-qty" name="qty" value={t.qty} required maxlength={20} inputmode="decimal" autocomplete="off" data-testid="adjust-qty" />
        <label for="adjust-reason">Why</label>
        <select id="adjust-reason" name="reason" required data-testid="adjust-reason">
          {p.reasons.map((r) => (
            <option value={r.code} selected={r.code === t.reason}>
              {r.label}
              {r.sign < 0 ? " (takes stock off)" : r.sign > 0 ? " (puts stock on)" : ""}
            </option>
          ))}
        </select>
        <label for="adjust-note">Note (optional)</label>
        <input id="adjust-note" name="note" value={t.note} maxlength={200} autocomplete="off" data-testid="adjust-note" />
        <ManagerApproval id="adjust-pin" approvers={p.approvers} label={`Manager approval (over ${money(p.approvalOver, locale)})`} />
        <button type="submit" class="primary" data-testid="adjust-save">
          Adjust
        </button>
      </form>
    </OfficePage>
  );
}
