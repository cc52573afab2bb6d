// How many /events streams may be open at once: for one signed-in browser (its session), for one paired device and for
// the whole store. Each open stream holds a subscription, a queue and a timer, so without a limit one signed-in browser
// (or a script with its cookie) could open streams until the server ran out of memory and timers.
//
// Above a limit a new stream is refused (429, `too_many_streams`) rather than the oldest one closed. A browser opens
// one stream a tab, far fewer than the limit; what asks for more is a bug or an attack, and closing the oldest would
// let it push a real tab off, over and over, while every request still cost a new stream. A tab closed or reloaded
// gives its slot back as soon as its stream ends (the hang-up, or at the latest the heartbeat once its session ends).
import { Problem } from "../../domain/kernel/problem.ts";

/** A browser's tabs and windows of the shop, and a reload or two whose old stream has not yet gone. */
export const STREAMS_PER_SESSION = 10;
/** One register or back-office PC, whoever has been signed in on it. */
export const STREAMS_PER_DEVICE = 10;
/** Every register and back-office page of a shop, many times over. */
export const STREAMS_PER_STORE = 200;

export type StreamLimits = { perSession: number; perDevice: number; perStore: number };

/** Who holds a stream: the session's id hash (never the cookie itself) and the paired device, if any. */
export type StreamHolder = { session: string; device: number | null };

export function streamLimits(limits: StreamLimits = { perSession: STREAMS_PER_SESSION, perDevice: STREAMS_PER_DEVICE, perStore: STREAMS_PER_STORE }) {
  const bySession = new Map<string, number>();
  const byDevice = new Map<number, number>();
  let open = 0;

  const add = <K>(counts: Map<K, number>, key: K, by: number) => {
    const n = (counts.get(key) ?? 0) + by;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };

  return {
    /**
     * A slot for one more stream of `holder`: the function that gives it back (once, however often it is called).
     * Throws `too_many_streams` when the session, the device or the store already holds its limit.
     */
    take(holder: StreamHolder): () => void {
      if (open >= limits.perStore) {
        throw new Problem(
          "too_many_streams",
          `The store already has ${limits.perStore} live connections open, its most. Close back-office tabs nobody is using, then reload this page.`,
          { per: "store", limit: limits.perStore },
        );
      }
      if ((bySession.get(holder.session) ?? 0) >= limits.perSession) {
        throw new Problem(
          "too_many_streams",
          `This browser already has ${limits.perSession} live connections open to the store. Close some of the shop's tabs or windows, then reload this page.`,
          { per: "session", limit: limits.perSession },
        );
      }
      if (holder.device !== null && (byDevice.get(holder.device) ?? 0) >= limits.perDevice) {
        throw new Problem(
          "too_many_streams",
          `This device already has ${limits.perDevice} live connections open to the store. Close some of the shop's tabs or windows, then reload this page.`,
          { per: "device", limit: limits.perDevice },
        );
      }
      open++;
      add(bySession, holder.session, 1);
      if (holder.device !== null) add(byDevice, holder.device, 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        open--;
        add(bySession, holder.session, -1);
        if (holder.device !== null) add(byDevice, holder.device, -1);
      };
    },
    /** How many slots are taken. */
    open: () => open,
  };
}

export type StreamLimiter = ReturnType<typeof streamLimits>;
