// Which certificate `serve` answers https with: the files given by --tls-cert/--tls-key, else the ones `shopflow tls
// init` left in the data folder. Those are made anew from the store's own authority when they near their end or no
// longer name one of the PC's addresses (a new address from the router), so tablets never meet an expired page.
import { existsSync, readFileSync } from "node:fs";
import { UsageError } from "../platform/usage-error.ts";
import { tlsFiles } from "./files.ts";

export type ServeTls = { options: { cert: string; key: string }; notes: string[] };

function read(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the ${what} ${path} (${(e as { code?: string }).code ?? String(e)})`);
  }
}

/** The https options for Bun.serve and what to tell the person starting it, or null to serve plain http. */
export async function serveTls(dataDir: string, certFile?: string, keyFile?: string): Promise<ServeTls | null> {
  if (Boolean(certFile) !== Boolean(keyFile)) throw new UsageError("--tls-cert and --tls-key go together: the certificate file and its key file");
  if (certFile && keyFile) {
    const cert = read(certFile, "certificate");
    const key = read(keyFile, "key");
    if (!cert.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`${certFile} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new UsageError(`${keyFile} is not a PEM private key`);
    return { options: { cert, key }, notes: [`https with ${certFile}`] };
  }
  const f = tlsFiles(dataDir);
  if (!existsSync(f.cert) || !existsSync(f.key)) return null;
  const { describe, issue, localNames, RENEW_DAYS } = await import("./certificates.ts");
  const notes: string[] = [];
  const now = new Date();
  let had: ReturnType<typeof describe>;
  try {
    had = describe(read(f.cert, "certificate"));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${f.cert} is not a certificate ShopFlow can read; run 'shopflow tls init' to make it again`);
  }
  const wanted = localNames();
  const missing = [...wanted.dns.filter((n) => !had.dns.includes(n)), ...wanted.ips.filter((n) => !had.ips.includes(n.toLowerCase()))];
  const ending = had.notAfter.getTime() - now.getTime() < RENEW_DAYS * 86_400_000;
  if ((ending || missing.length > 0) && existsSync(f.caKey)) {
    const names = { dns: [...new Set([...had.dns, ...wanted.dns])], ips: [...new Set([...had.ips, ...wanted.ips])] };
    try {
      const made = await issue(dataDir, names, now);
      notes.push(
        `made this PC's certificate anew (${ending ? "the old one was near its end" : `new names: ${missing.join(", ")}`}); valid until ${made.notAfter.toISOString().slice(0, 10)}`,
      );
    } catch (e) {
      // the store sells with the certificate it has rather than not at all
      notes.push(
        `warning: could not make this PC's certificate anew (${e instanceof Error ? e.message : String(e)}); run 'shopflow tls init' as the data folder's owner`,
      );
    }
  } else if (ending) {
    notes.push(`warning: ${f.cert} ends on ${had.notAfter.toISOString().slice(0, 10)}; run 'shopflow tls init' to make a new one`);
  }
  notes.push(`https with ${f.cert} (signed by the store's authority ${f.caCert})`);
  return { options: { cert: read(f.cert, "certificate"), key: read(f.key, "key") }, notes };
}
