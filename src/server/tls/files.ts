// Where the store's TLS files live: the data folder's tls/, the authority and this PC's certificate with their keys.
import { join } from "node:path";

export type TlsFiles = { dir: string; caCert: string; caKey: string; cert: string; key: string };

export function tlsFiles(dataDir: string): TlsFiles {
  const dir = join(dataDir, "tls");
  return { dir, caCert: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") };
}
