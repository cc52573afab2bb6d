// The store's journal key: an Ed25519 key pair that signs each closure. Made at first need and kept in the data folder
// (journal-key.pem, readable by the store's user only); its public half goes to head office and to auditors
// (`shopflow journal key`), who check the closures' signatures with it.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fingerprintOf } from "../platform/journal-signature.ts";

// the same checks head office makes (platform/journal-signature.ts)
export { fingerprintOf, signatureHolds } from "../platform/journal-signature.ts";

export const KEY_FILE = "journal-key.pem";

export function journalKeyPath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

export type JournalSigner = {
  /** The public key as PEM (SPKI), for head office and auditors. */
  publicPem: string;
  /** SHA-256 of the public key's DER, in hex: the name closures give of the key that signed them. */
  fingerprint: string;
  sign(text: string): string;
};

/** The key in `path`, made there first (mode 0600) when there is none. */
export function loadOrMakeJournalKey(path: string): JournalSigner {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    // "wx": never overwrite a key another process made a moment ago
    try {
      writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  chmodSync(path, 0o600);
  const privateKey = createPrivateKey(readFileSync(path));
  const publicKey = createPublicKey(privateKey);
  return {
    publicPem: String(publicKey.export({ type: "spki", format: "pem" })),
    fingerprint: fingerprintOf(publicKey),
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString("base64"),
  };
}

/** A public key to check signatures with: PEM text of a public or a private key. */
export function publicKeyFrom(pem: string): KeyObject {
  return pem.includes("PRIVATE KEY") ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}
