// A local certificate authority for one store and the store PC's certificate signed by it (@peculiar/x509 on WebCrypto,
// ECDSA P-256). Tablets trust the authority once; the PC's certificate can then be made anew (new address, expiry)
// without touching them again. Kept in the data folder's tls/, the keys readable by their owner only.
import "reflect-metadata";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { dirname } from "node:path";
import type * as X509 from "@peculiar/x509";
import { tlsFiles } from "./files.ts";

// @peculiar/x509's dependency injection (tsyringe) needs reflect-metadata evaluated before it: a static import may be
// evaluated first in the compiled binary's bundle, so it is loaded here, after
const x509: typeof X509 = await import("@peculiar/x509");

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;
/** The authority lasts ten years; the PC's certificate 397 days, the longest every browser and tablet accepts. */
const CA_DAYS = 3650;
const SERVER_DAYS = 397;
/** serve makes the PC's certificate anew when fewer days than this are left. */
export const RENEW_DAYS = 30;

/** The names a tablet may use for this PC: its host name (also with .local), localhost, and every address it has. */
export function localNames(extra: readonly string[] = []): { dns: string[]; ips: string[] } {
  const host = hostname().toLowerCase();
  const dns = new Set(["localhost", host, ...(host.includes(".") ? [] : [`${host}.local`])]);
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      // link-local IPv6 needs a zone (fe80::1%eth0) that no certificate can name
      if (a.family === "IPv6" && a.address.toLowerCase().startsWith("fe80")) continue;
      ips.add(a.address);
    }
  }
  for (const name of extra) (isIp(name) ? ips : dns).add(name.toLowerCase());
  return { dns: [...dns], ips: [...ips] };
}

const isIp = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.includes(":");

const toPem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${(
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? []
  ).join("\n")}\n-----END ${label}-----\n`;

const fromPem = (pem: string) => {
  const b = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

/** SHA-256 of the certificate as browsers and phones show it: AB:CD:… */
export async function fingerprint(pem: string): Promise<string> {
  const der = new Uint8Array(fromPem(pem));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  return [...hash].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** When a certificate stops being valid, and the names it covers. */
export function describe(pem: string): { notAfter: Date; dns: string[]; ips: string[] } {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items ?? [];
  return {
    notAfter: cert.notAfter,
    dns: names.filter((n) => n.type === "dns").map((n) => n.value.toLowerCase()),
    ips: names.filter((n) => n.type === "ip").map((n) => n.value.toLowerCase()),
  };
}

/** Write a file durably in place; keys get 0600 and, when root writes them, the data folder's owner. */
function writeKept(path: string, text: string, secret: boolean): void {
  const temp = `${path}.part`;
  writeFileSync(temp, text, { mode: secret ? 0o600 : 0o644 });
  chmodSync(temp, secret ? 0o600 : 0o644);
  const owner = statSync(dirname(dirname(path)));
  if (process.getuid?.() === 0 && owner.uid !== 0) chownSync(temp, owner.uid, owner.gid);
  renameSync(temp, path);
}

async function exportKey(key: CryptoKey): Promise<string> {
  return toPem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", key));
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", fromPem(pem), algorithm, false, ["sign"]);
}

export type Issued = { caMade: boolean; caFingerprint: string; notAfter: Date; dns: string[]; ips: string[] };

/**
 * Make the PC's certificate for `names`, signed by the store's authority; the authority is made first when the data
 * folder has none (an existing one is kept, so tablets that trust it go on trusting).
 */
export async function issue(dataDir: string, names: { dns: string[]; ips: string[] }, now = new Date()): Promise<Issued> {
  const f = tlsFiles(dataDir);
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  chmodSync(f.dir, 0o700);
  const owner = statSync(dataDir);
  if (process.getuid?.() === 0 && owner.uid !== 0) chownSync(f.dir, owner.uid, owner.gid);
  const caMade = !(existsSync(f.caCert) && existsSync(f.caKey));
  if (caMade) {
    const keys = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=ShopFlow store CA ${hostname()} ${now.toISOString().slice(0, 10)}, O=ShopFlow`,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY),
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writeKept(f.caKey, await exportKey(keys.privateKey), true);
    writeKept(f.caCert, ca.toString("pem"), false);
  }
  const caPem = readFileSync(f.caCert, "utf8");
  const ca = new x509.X509Certificate(caPem);
  const caKey = await importSigningKey(readFileSync(f.caKey, "utf8"));
  const keys = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const notAfter = new Date(now.getTime() + SERVER_DAYS * DAY);
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${names.dns.find((n) => n !== "localhost") ?? "localhost"}, O=ShopFlow`,
    issuer: ca.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: "dns" as const, value })),
        ...names.ips.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeKept(f.key, await exportKey(keys.privateKey), true);
  writeKept(f.cert, cert.toString("pem"), false);
  return { caMade, caFingerprint: await fingerprint(caPem), notAfter, ...names };
}
