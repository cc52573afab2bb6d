// Secrets in cookies, tokens and pairing links: random, shown once, kept only as their SHA-256. A random 256-bit secret
// cannot be guessed, so a plain hash (not a slow password hash) is enough to keep the database from holding it.

/** The SHA-256 of a text or bytes, as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}

/** A random secret of `bytes` bytes, URL-safe base64 (43 characters for 32 bytes), with an optional prefix. */
export function randomSecret(bytes = 32, prefix = ""): string {
  return prefix + Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

/** The longest secret we look up; anything longer is refused unread rather than hashed. */
export const MAX_SECRET_LENGTH = 200;
