// A closure's signature as anyone checks it: the store that signs (server/journal/keys.ts, closures.ts), `shopflow journal
// verify`, and head office with the public keys stores tell it (sync/hq/journal/). Ed25519 over the text below; a key is
// named by the SHA-256 of its public half's DER (SPKI), in hex.
import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";

/** Far more than an Ed25519 public key's PEM (113 characters): what head office reads at most. */
export const MAX_PUBLIC_KEY_PEM = 1000;

export function fingerprintOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** The text a closure's signature covers: the hash before it, its kind and period, and its content without `sig`. */
export function closureSignedText(prevHash: string, kind: string, ref: string, body: object): string {
  return `${prevHash}\n${kind}\n${ref}\n${JSON.stringify(body)}`;
}

export function signatureHolds(publicKey: KeyObject, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** An Ed25519 public key given as PEM (SPKI, "BEGIN PUBLIC KEY"), or null for anything else (a private key included). */
export function ed25519PublicKey(pem: string): KeyObject | null {
  if (pem.length > MAX_PUBLIC_KEY_PEM || !/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/.test(pem)) return null;
  try {
    const key = createPublicKey({ key: pem, format: "pem" });
    return key.type === "public" && key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}
