// PINs and passwords: argon2id with the parameters OWASP recommends for it (19 MiB, two passes). Store PINs and head
// office passwords use the same settings, so a change of parameters is made once.
const ARGON2 = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;

export function hashPassword(secret: string): Promise<string> {
  return Bun.password.hash(secret, ARGON2);
}

/** Whether `secret` matches `hash`; a malformed hash is a mismatch, not an error. */
export async function verifyPassword(secret: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(secret, hash);
  } catch {
    return false;
  }
}
