import { describe, expect, test } from "bun:test";
import { bearerSecret } from "./bearer.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { MAX_SECRET_LENGTH, randomSecret, sha256Hex } from "./secrets.ts";
import { newSession, sessionCutoffs, sessionIdHash } from "./sessions.ts";

describe("secrets", () => {
  test("a secret is random, URL-safe and carries its prefix", () => {
    const a = randomSecret(32, "sf_");
    const b = randomSecret(32, "sf_");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
  });

  test("SHA-256 of text is the known digest", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("Bearer header", () => {
  test("the secret after the scheme, whatever its case", () => {
    expect(bearerSecret("Bearer sf_abc")).toBe("sf_abc");
    expect(bearerSecret("bearer   sf_abc  ")).toBe("sf_abc");
  });

  test("no header, another scheme, two words or an overlong secret give nothing", () => {
    expect(bearerSecret(undefined)).toBeNull();
    expect(bearerSecret("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerSecret("Bearer a b")).toBeNull();
    expect(bearerSecret(`Bearer ${"x".repeat(MAX_SECRET_LENGTH + 1)}`)).toBeNull();
    expect(bearerSecret(`Bearer ${"x".repeat(MAX_SECRET_LENGTH)}`)).toHaveLength(MAX_SECRET_LENGTH);
  });
});

describe("sessions", () => {
  test("the database keeps the cookie's hash, never the cookie", () => {
    const s = newSession();
    expect(s.idHash).toBe(sha256Hex(s.cookie));
    expect(s.idHash).not.toContain(s.cookie);
    expect(sessionIdHash(s.cookie)).toBe(s.idHash);
  });

  test("a cookie too long for any session is not looked up", () => {
    expect(sessionIdHash(undefined)).toBeNull();
    expect(sessionIdHash("x".repeat(101))).toBeNull();
  });

  test("cut-offs: idle minutes and absolute hours before now", () => {
    const now = new Date("2026-12-03T12:00:00Z");
    const { idleSince, bornAfter } = sessionCutoffs({ idleMinutes: 15, absoluteHours: 12 }, now);
    expect(idleSince.toISOString()).toBe("2026-12-03T11:45:00.000Z");
    expect(bornAfter.toISOString()).toBe("2026-12-03T00:00:00.000Z");
  });
});

describe("passwords", () => {
  test("argon2id: the right one matches, another does not, a broken hash is a mismatch", async () => {
    const hash = await hashPassword("2468");
    expect(hash).toStartWith("$argon2id$");
    expect(await verifyPassword("2468", hash)).toBe(true);
    expect(await verifyPassword("2469", hash)).toBe(false);
    expect(await verifyPassword("2468", "not a hash")).toBe(false);
  });
});
