// shopflow tls init: the store's own certificate authority and this PC's certificate in the data folder, so tablets
// reach the register over https once they trust the authority. Run again to cover a new name; the authority is kept.
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "../platform/usage-error.ts";
import { tlsFiles } from "../tls/files.ts";

const validName = (s: string) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(s) || /^[0-9a-fA-F:.]+$/.test(s);

export async function tlsCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "init") throw new UsageError(`unknown tls command "${sub ?? ""}"; try 'shopflow tls init'`);
  const { values } = parseArgs({ args: rest, options: { data: { type: "string" }, name: { type: "string", multiple: true, default: [] } } });
  const bad = values.name.find((n) => !validName(n));
  if (bad !== undefined) throw new UsageError(`--name takes a host name (till.example.lan) or an address (192.168.1.20), not "${bad}"`);
  const dir = dataDir(values);
  mkdirSync(dir, { recursive: true });
  const { issue, localNames } = await import("../tls/certificates.ts");
  const made = await issue(dir, localNames(values.name));
  const f = tlsFiles(dir);
  const host = made.dns.find((n) => n.endsWith(".local")) ?? made.dns.find((n) => n !== "localhost") ?? "localhost";
  for (const line of [
    made.caMade
      ? `made the store's certificate authority: ${f.caCert} (its key ${f.caKey} stays on this PC)`
      : `kept the store's certificate authority ${f.caCert}`,
    `made this PC's certificate ${f.cert}, valid until ${made.notAfter.toISOString().slice(0, 10)}, for:`,
    `  ${[...made.dns, ...made.ips].join(", ")}`,
    "",
    "Authority's SHA-256 fingerprint (compare it on each tablet before trusting it):",
    `  ${made.caFingerprint}`,
    "",
    `Restart ShopFlow (sudo systemctl restart shopflow when it runs as a service): it then answers on https://${host}:PORT.`,
    `Once on each tablet or lane PC, copy ${f.caCert} to it (USB stick, e-mail, a share) and trust it:`,
    "  Android: Settings > Security > Encryption & credentials > Install a certificate > CA certificate",
    "  iPad/iPhone: open the file, Settings > Profile Downloaded > Install, then Settings > General > About >",
    "    Certificate Trust Settings > turn on full trust for it",
    "  Windows: open the file > Install Certificate > Local Machine > Trusted Root Certification Authorities",
    "  Chrome on Linux or ChromeOS: Settings > Privacy and security > Security > Manage certificates > Authorities > Import",
    "Tablets that trust the authority go on trusting it when this command runs again (a new address, a new name).",
  ])
    console.log(line);
  return 0;
}
