// The limits on open /events streams: a session, a device and the store each hold at most their limit; above it a new
// stream is refused with `too_many_streams` and says which limit; a slot given back (once) is free for the next.
import { describe, expect, test } from "bun:test";
import { Problem } from "../../domain/kernel/problem.ts";
import { streamLimits } from "./stream-limits.ts";

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof Problem) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error("not refused");
};

describe("the limits on open streams", () => {
  test("a session holds at most its limit; another session on another device is not held up by it", () => {
    const limits = streamLimits({ perSession: 2, perDevice: 5, perStore: 10 });
    limits.take({ session: "a", device: 1 });
    const second = limits.take({ session: "a", device: 1 });
    expect(refusal(() => limits.take({ session: "a", device: 1 }))).toEqual({ code: "too_many_streams", details: { per: "session", limit: 2 } });
    limits.take({ session: "b", device: 2 });
    second();
    second(); // given back once, however often it is called
    limits.take({ session: "a", device: 1 });
    expect(limits.open()).toBe(3);
  });

  test("a device holds at most its limit, whoever is signed in on it; a browser with no device only its session's", () => {
    const limits = streamLimits({ perSession: 5, perDevice: 3, perStore: 10 });
    for (const session of ["a", "b", "c"]) limits.take({ session, device: 7 });
    expect(refusal(() => limits.take({ session: "d", device: 7 }))).toEqual({ code: "too_many_streams", details: { per: "device", limit: 3 } });
    for (let i = 0; i < 5; i++) limits.take({ session: "e", device: null });
    expect(refusal(() => limits.take({ session: "e", device: null })).details).toEqual({ per: "session", limit: 5 });
  });

  test("the store holds at most its limit across every session; a slot given back lets the next one in", () => {
    const limits = streamLimits({ perSession: 5, perDevice: 5, perStore: 4 });
    const release = [1, 2, 3, 4].map((n) => limits.take({ session: `s${n}`, device: n }));
    expect(refusal(() => limits.take({ session: "s5", device: 5 })).details).toEqual({ per: "store", limit: 4 });
    release[0]!();
    limits.take({ session: "s5", device: 5 });
    expect(limits.open()).toBe(4);
  });
});
