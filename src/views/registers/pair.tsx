// Pairing: a manager makes this browser one of the store's registers.
import type { Approver } from "../ui/approval.tsx";
import { Card, Csrf, PinInput } from "../ui/card.tsx";

export function PairPage({ message, registers, managers }: { message?: string; registers: string[]; managers: Approver[] }) {
  return (
    <Card title="Make this browser a register" message={message}>
      <p>A manager pairs this device once; after that cashiers sign in here with their PIN.</p>
      <form method="post" action="/pair" class="stack">
        <Csrf />
        <label>
          Register name <input name="register" required maxlength={40} list="register-names" placeholder="Lane 1" data-testid="register-input" />
        </label>
        <datalist id="register-names">
          {registers.map((r) => (
            <option value={r} />
          ))}
        </datalist>
        <label>
          Manager
          <select name="manager" required data-testid="manager-select">
            {managers.length !== 1 && <option value="">Choose…</option>}
            {managers.map((m) => (
              <option value={String(m.id)}>{m.name}</option>
            ))}
          </select>
        </label>
        <PinInput name="manager_pin" label="Manager's PIN" />
        <button type="submit" class="primary big" data-testid="pair-submit">
          Pair this register
        </button>
      </form>
    </Card>
  );
}
