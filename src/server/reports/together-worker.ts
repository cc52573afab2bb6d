// The bought-together counts (together-counts.ts) kept up to date in the background of a serving store, yielding to
// the sales that share its event loop and its SQLite writer.
import { type Logger, stderrLog } from "../platform/log/log.ts";
import type { SaleTraffic } from "./sale-traffic.ts";
import { STEP_MS, type TogetherCounts } from "./together-counts.ts";

/** A step is followed by a pause of at least this, and of twice as long as the step took (the loop is the sales' too). */
const MIN_PAUSE_MS = 5;
/** The counter waits until no sale request has come or gone for this long... */
const QUIET_MS = 50;
/**
 * ...but not longer than this: then one short step goes in between two requests, so counting creeps on through a rush
 * (each step ends with a commit's fsync, which no budget can shorten: a step now and then, not a step per gap).
 */
const MAX_WAIT_MS = 2_000;
const SHORT_STEP_MS = 1;

/**
 * In the background of a serving store, on the event loop the sales are answered on: every `everyMs` a round of steps
 * until nothing is left. Each step is a few milliseconds of work and its commit, then a pause of twice its time. While
 * a sale request is under way or was answered within the last QUIET_MS the worker waits; when it has waited
 * MAX_WAIT_MS it takes one short step as soon as no request is under way (or regardless, after five times as long).
 */
export function togetherWorker(counts: TogetherCounts, options: { everyMs?: number; traffic?: SaleTraffic; log?: Logger } = {}) {
  const everyMs = options.everyMs ?? 2_000;
  const log = options.log ?? stderrLog;
  const traffic = options.traffic ?? null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let round: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      wake = done;
    });
  const run = () => {
    if (round || stopping) return;
    round = (async () => {
      try {
        let waitingSince: number | null = null;
        while (!stopping) {
          const quiet = traffic?.quietFor() ?? Number.POSITIVE_INFINITY;
          let budget = STEP_MS;
          if (quiet < QUIET_MS) {
            waitingSince ??= performance.now();
            const waited = performance.now() - waitingSince;
            if (waited < MAX_WAIT_MS || (quiet === 0 && waited < 5 * MAX_WAIT_MS)) {
              await pause(Math.max(MIN_PAUSE_MS, QUIET_MS - quiet));
              continue;
            }
            budget = SHORT_STEP_MS;
          }
          waitingSince = null;
          const t = performance.now();
          const did = counts.step(budget);
          const took = performance.now() - t;
          if (!did) break;
          await pause(Math.max(MIN_PAUSE_MS, 2 * took));
        }
      } catch (e) {
        log.error("together.count_failed", { msg: "bought-together counts were not updated", err: e });
      }
    })().finally(() => {
      round = null;
    });
  };
  return {
    start(): void {
      if (timer) return;
      stopping = false;
      run();
      timer = setInterval(run, everyMs);
    },
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      wake?.();
      await round;
    },
  };
}
