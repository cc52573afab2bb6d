import { describe, expect, test } from "bun:test";
import { saleTraffic } from "./sale-traffic.ts";

describe("sale traffic", () => {
  test("quiet for as long as since the last request came or went; never quiet while one is under way", () => {
    let now = 1_000;
    const traffic = saleTraffic(() => now);
    expect(traffic.quietFor()).toBe(Number.POSITIVE_INFINITY);
    const first = traffic.begin();
    const second = traffic.begin();
    now += 40;
    expect(traffic.quietFor()).toBe(0);
    first();
    first(); // told twice, counted once
    expect(traffic.quietFor()).toBe(0);
    second();
    now += 30;
    expect(traffic.quietFor()).toBe(30);
  });
});
