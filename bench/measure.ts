// Loops that drive the server: sequential, open loop at a fixed rate, and closed loop with N clients. All bounded by count and time.
import { now } from "./stats.ts";

export type Outcome = { ok: boolean; status: number };
export type Run = { latenciesMs: number[]; failures: number; statuses: Record<string, number>; elapsedMs: number; timedOut: boolean };

function tally(run: Run, outcome: Outcome, latencyMs: number): void {
  run.latenciesMs.push(latencyMs);
  if (!outcome.ok) run.failures++;
  const key = String(outcome.status);
  run.statuses[key] = (run.statuses[key] ?? 0) + 1;
}

const emptyRun = (): Run => ({ latenciesMs: [], failures: 0, statuses: {}, elapsedMs: 0, timedOut: false });

/** One request after another; stops at `count` requests or `maxMs`, whichever comes first. */
export async function sequential(count: number, maxMs: number, request: () => Promise<Outcome>): Promise<Run> {
  const run = emptyRun();
  const t0 = now();
  for (let i = 0; i < count; i++) {
    if (now() - t0 > maxMs) {
      run.timedOut = true;
      break;
    }
    const s = now();
    const outcome = await request();
    tally(run, outcome, now() - s);
  }
  run.elapsedMs = now() - t0;
  return run;
}

export type OpenLoopRun = Run & { planned: number; sent: number; sendLagMs: number[]; unfinished: number };

/**
 * Open loop: request i is due at start + i/rate and is sent then, whether or not earlier ones have answered.
 * Latency counts from the due time, so a stalled server is charged for the requests it made wait (no coordinated omission).
 */
export async function openLoop(ratePerS: number, durationMs: number, drainMs: number, request: () => Promise<Outcome>): Promise<OpenLoopRun> {
  const run: OpenLoopRun = { ...emptyRun(), planned: Math.floor((durationMs / 1000) * ratePerS), sent: 0, sendLagMs: [], unfinished: 0 };
  const interval = 1000 / ratePerS;
  const t0 = now() + 20;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < run.planned; i++) {
    const due = t0 + i * interval;
    const wait = due - now();
    if (wait > 0.5) await Bun.sleep(wait);
    run.sendLagMs.push(Math.max(0, now() - due));
    run.sent++;
    const p: Promise<void> = request()
      .then(
        (outcome) => tally(run, outcome, now() - due),
        () => tally(run, { ok: false, status: 0 }, now() - due),
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  const drained = Promise.all([...pending]).then(() => "drained" as const);
  const outcome = await Promise.race([drained, Bun.sleep(drainMs).then(() => "timeout" as const)]);
  run.unfinished = pending.size;
  run.timedOut = outcome === "timeout";
  run.failures += run.unfinished;
  run.elapsedMs = now() - t0;
  return run;
}

/** Closed loop: `clients` workers, each sending its next request as soon as the last one answers, for `durationMs`. */
export async function closedLoop(clients: number, durationMs: number, maxRequests: number, request: () => Promise<Outcome>): Promise<Run> {
  const run = emptyRun();
  const t0 = now();
  const end = t0 + durationMs;
  let started = 0;
  const worker = async () => {
    while (now() < end && started < maxRequests) {
      started++;
      const s = now();
      const outcome = await request().catch(() => ({ ok: false, status: 0 }));
      tally(run, outcome, now() - s);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  run.elapsedMs = now() - t0;
  return run;
}
