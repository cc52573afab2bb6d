// The weight dialog and the register's scale: the weight field, and the line under it that reads the scale when the
// register has one (GET /register/scale). A steady weight fills the field (out of band) for Enter to add; a moving one
// asks again a few times; any other answer says why and leaves the field to the cashier's typing.
import type { ScaleReading } from "../../hardware/scale/protocol.ts";
import { quantity } from "../ui/format.ts";

/** How often a moving or empty scale is asked before the till stops and says so. */
export const SCALE_TRIES = 8;

/** The weight field of the weight dialog; filled with what the scale read, ready for Enter. */
export function WeightInput({ grams, oob }: { grams?: number; oob?: boolean }) {
  return (
    <input
      id="weigh-kg"
      name="qty"
      inputmode="decimal"
      autocomplete="off"
      autofocus
      required
      placeholder="0.500"
      value={grams === undefined ? undefined : (grams / 1000).toFixed(3)}
      data-from-scale={grams === undefined ? undefined : "true"}
      hx-swap-oob={oob ? "true" : undefined}
    />
  );
}

const asking = (attempt?: number) => ({
  "hx-get": attempt ? `/register/scale?attempt=${attempt}` : "/register/scale",
  "hx-swap": "outerHTML",
});

/** Under the field as the dialog opens: asks for the scale at once. A register with none answers 204 and it stays empty. */
export function ScaleSlot() {
  return (
    <p id="scale-reading" class="scale-reading" data-testid="scale-reading" data-state="asking" role="status" {...asking()} hx-trigger="load">
      <span class="scale-asking">Reading the scale…</span>
    </p>
  );
}

function AgainButton() {
  return (
    <button
      type="button"
      id="scale-again"
      class="scale-again"
      data-testid="scale-again"
      hx-get="/register/scale"
      hx-target="#scale-reading"
      hx-swap="outerHTML"
    >
      Read the scale again
    </button>
  );
}

/** What the scale said, for attempt `attempt` of SCALE_TRIES. */
export function ScaleReadingView({ reading, attempt }: { reading: ScaleReading; attempt: number }) {
  const line = (state: string, text: string, more: { again?: boolean; poll?: boolean } = {}) => (
    <p
      id="scale-reading"
      class={`scale-reading ${state}`}
      data-testid="scale-reading"
      data-state={state}
      role="status"
      {...(more.poll ? { ...asking(attempt + 1), "hx-trigger": "load delay:400ms" } : {})}
    >
      <span class="scale-said">{text}</span>
      {more.again && <AgainButton />}
    </p>
  );
  const lastTry = attempt >= SCALE_TRIES;
  if (reading.ok && reading.grams > 0) {
    return (
      <>
        {line("stable", `From the scale: ${quantity(reading.grams, true)}. Enter adds it.`, { again: true })}
        <WeightInput grams={reading.grams} oob />
      </>
    );
  }
  if (reading.ok) {
    return lastTry
      ? line("empty", "Nothing on the scale: put the item on it and read the scale again, or type the weight.", { again: true })
      : line("waiting", "Put the item on the scale…", { poll: true });
  }
  switch (reading.problem) {
    case "motion":
      return lastTry
        ? line("unsteady", "The scale did not settle: hold the item still and read the scale again, or type the weight.", { again: true })
        : line("waiting", "Hold still…", { poll: true });
    case "under_zero":
    case "over_capacity":
    case "zero_error":
    case "unreadable":
      return line("problem", `${reading.message} Read the scale again, or type the weight.`, { again: true });
    case "no_answer":
    case "not_connected":
    case "refused":
      return line("unavailable", `${reading.message} Type the weight.`, { again: true });
    default: {
      const _exhaustive: never = reading.problem;
      return _exhaustive;
    }
  }
}
