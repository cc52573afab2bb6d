// The live bus: each subscriber gets what it asked for, in order; a slow one loses its oldest messages rather than
// growing memory; one that unsubscribes is told nothing more and its waiting reader is let go.
import { describe, expect, spyOn, test } from "bun:test";
import { bus } from "./bus.ts";

type E = { n: number; kind: "a" | "b" };

describe("the live bus", () => {
  test("a subscriber gets what it wants, oldest first, and a waiting reader is woken by the next message", async () => {
    const b = bus<E>();
    const onlyA = b.subscribe((e) => e.kind === "a");
    const all = b.subscribe(() => true);
    b.publish({ n: 1, kind: "a" });
    b.publish({ n: 2, kind: "b" });
    b.publish({ n: 3, kind: "a" });
    expect(await onlyA.next()).toEqual([
      { n: 1, kind: "a" },
      { n: 3, kind: "a" },
    ]);
    expect((await all.next())!.map((e) => e.n)).toEqual([1, 2, 3]);
    const waiting = all.next();
    b.publish({ n: 4, kind: "b" });
    expect(await waiting).toEqual([{ n: 4, kind: "b" }]);
  });

  test("a subscriber that does not read keeps at most its limit: the oldest go, and are counted", async () => {
    const b = bus<E>(3);
    const slow = b.subscribe(() => true);
    const fast = b.subscribe(() => true, 100);
    for (let n = 1; n <= 10; n++) b.publish({ n, kind: "a" });
    expect((await slow.next())!.map((e) => e.n)).toEqual([8, 9, 10]);
    expect(slow.dropped).toBe(7);
    expect((await fast.next())!.length).toBe(10);
    expect(fast.dropped).toBe(0);
  });

  test("unsubscribing ends a waiting reader with null and takes the subscriber off the bus", async () => {
    const b = bus<E>();
    const s = b.subscribe(() => true);
    const other = b.subscribe(() => true);
    expect(b.size()).toBe(2);
    const waiting = s.next();
    s.close();
    expect(await waiting).toBeNull();
    expect(s.closed).toBe(true);
    expect(b.size()).toBe(1);
    b.publish({ n: 1, kind: "a" });
    expect(await s.next()).toBeNull();
    expect(await other.next()).toEqual([{ n: 1, kind: "a" }]);
  });

  test("closing the bus ends every subscription (the store is shutting down)", async () => {
    const b = bus<E>();
    const subs = [b.subscribe(() => true), b.subscribe(() => true)];
    const waiting = subs.map((s) => s.next());
    b.closeAll();
    expect(await Promise.all(waiting)).toEqual([null, null]);
    expect(b.size()).toBe(0);
  });

  test("whoever closes a subscription, what waits on its closing is told once; told at once when it is closed already", () => {
    const b = bus<E>();
    const s = b.subscribe(() => true);
    const told: string[] = [];
    s.onClose(() => told.push("timer"));
    s.onClose(() => {
      throw new Error("a faulty listener");
    });
    s.onClose(() => told.push("slot"));
    const logged = spyOn(console, "error").mockImplementation(() => undefined);
    try {
      b.closeAll();
      s.close();
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
    }
    expect(told).toEqual(["timer", "slot"]);
    s.onClose(() => told.push("late"));
    expect(told).toEqual(["timer", "slot", "late"]);
  });

  test("one reader at a time: a second reader while one waits is a mistake, said at once", () => {
    const b = bus<E>();
    const s = b.subscribe(() => true);
    void s.next();
    expect(() => s.next()).toThrow("one reader at a time");
    s.close();
  });
});
