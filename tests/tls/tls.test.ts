// `shopflow tls init` makes the store's authority and this PC's certificate; `serve` answers https with them (or with
// --tls-cert/--tls-key), cookies then carry Secure, and a certificate near its end is made anew from the same authority.
import { afterAll, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { issue, localNames } from "../../src/server/tls/certificates.ts";
import { runCommand, sourceCommand } from "../helpers/server.ts";
import { serve, tlsDir } from "./support.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-tls-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshData = () => join(root, `store-${++n}`);

test("tls init makes the authority and this PC's certificate, keys readable by their owner only, and prints the fingerprint", async () => {
  const data = freshData();
  const r = await runCommand(sourceCommand, ["tls", "init", "--data", data, "--name", "till.shop.lan", "--name", "10.9.8.7"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const dir = tlsDir(data);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, "ca.key")).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, "server.key")).mode & 0o777).toBe(0o600);
  const ca = new X509Certificate(readFileSync(join(dir, "ca.crt")));
  const cert = new X509Certificate(readFileSync(join(dir, "server.crt")));
  // the fingerprint printed is the one a tablet shows for the authority
  expect(r.stdout).toContain(ca.fingerprint256);
  expect(ca.ca).toBe(true);
  expect(cert.ca).toBe(false);
  expect(cert.checkIssued(ca)).toBe(true);
  expect(cert.verify(ca.publicKey)).toBe(true);
  for (const name of ["localhost", hostname().toLowerCase(), "till.shop.lan"]) expect(cert.checkHost(name)).toBe(name);
  for (const ip of ["127.0.0.1", "10.9.8.7", ...localNames().ips.filter((a) => !a.includes(":"))]) expect(cert.checkIP(ip)).toBe(ip);
  expect(r.stdout).toContain("Android: Settings > Security");

  // again: a new certificate from the same authority, so tablets that trust it go on trusting
  const again = await runCommand(sourceCommand, ["tls", "init", "--data", data]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("kept the store's certificate authority");
  expect(new X509Certificate(readFileSync(join(dir, "ca.crt"))).fingerprint256).toBe(ca.fingerprint256);
  expect(new X509Certificate(readFileSync(join(dir, "server.crt"))).serialNumber).not.toBe(cert.serialNumber);

  const bad = await runCommand(sourceCommand, ["tls", "init", "--data", data, "--name", "not a name"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--name takes a host name");
});

test("serve answers https with the data folder's certificate, trusted through the store's authority; cookies carry Secure", async () => {
  const data = freshData();
  expect((await runCommand(sourceCommand, ["tls", "init", "--data", data])).code).toBe(0);
  const ca = readFileSync(join(tlsDir(data), "ca.crt"), "utf8");
  const server = await serve(["--data", data]);
  try {
    expect(server.url).toStartWith("https://");
    expect(server.output()).toContain(`https with ${join(tlsDir(data), "server.crt")}`);
    for (const host of ["127.0.0.1", "localhost"]) {
      const health = await fetch(`https://${host}:${server.port}/healthz`, { tls: { ca } });
      expect(health.status).toBe(200);
      expect((await health.json()).database).toBe("ok");
    }
    // without the authority the certificate is refused: it is checked, not waved through
    let refused: unknown = null;
    await fetch(`${server.url}/healthz`).catch((e) => {
      refused = e;
    });
    expect(String((refused as { code?: string } | null)?.code)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    // a page's cookie over https is Secure (sessions.ts isHttps reads the scheme)
    const page = await fetch(`${server.url}/`, { tls: { ca }, redirect: "manual" });
    const cookies = page.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatch(/; Secure/i);
  } finally {
    await server.stop();
  }
  // plain http without the certificate: the same cookie without Secure
  const plainData = freshData();
  const plain = await serve(["--data", plainData]);
  try {
    expect(plain.url).toStartWith("http://");
    const page = await fetch(`${plain.url}/`, { redirect: "manual" });
    for (const c of page.headers.getSetCookie()) expect(c).not.toMatch(/; Secure/i);
  } finally {
    await plain.stop();
  }
});

test("--tls-cert and --tls-key serve a certificate kept anywhere; one without the other is refused", async () => {
  const made = freshData();
  expect((await runCommand(sourceCommand, ["tls", "init", "--data", made])).code).toBe(0);
  const elsewhere = join(root, "certs");
  mkdirSync(elsewhere, { recursive: true });
  copyFileSync(join(tlsDir(made), "server.crt"), join(elsewhere, "pc.crt"));
  copyFileSync(join(tlsDir(made), "server.key"), join(elsewhere, "pc.key"));
  const ca = readFileSync(join(tlsDir(made), "ca.crt"), "utf8");
  const data = freshData();
  const server = await serve(["--data", data, "--tls-cert", join(elsewhere, "pc.crt"), "--tls-key", join(elsewhere, "pc.key")]);
  try {
    expect(server.url).toStartWith("https://");
    expect((await fetch(`${server.url}/healthz`, { tls: { ca } })).status).toBe(200);
  } finally {
    await server.stop();
  }
  const half = await runCommand(sourceCommand, ["serve", "--data", data, "--port", "0", "--tls-cert", join(elsewhere, "pc.crt")]);
  expect(half.code).toBe(2);
  expect(half.stderr).toContain("--tls-cert and --tls-key go together");
  const notPem = await runCommand(sourceCommand, [
    "serve",
    "--data",
    data,
    "--port",
    "0",
    "--tls-cert",
    join(elsewhere, "pc.key"),
    "--tls-key",
    join(elsewhere, "pc.key"),
  ]);
  expect(notPem.code).toBe(2);
  expect(notPem.stderr).toContain("is not a PEM certificate");
});

test("a certificate near its end is made anew at start from the same authority", async () => {
  const data = freshData();
  // made 380 days ago: 17 days left of its 397
  await issue(data, localNames(), new Date(Date.now() - 380 * 86_400_000));
  const caBefore = new X509Certificate(readFileSync(join(tlsDir(data), "ca.crt")));
  const old = new X509Certificate(readFileSync(join(tlsDir(data), "server.crt")));
  const server = await serve(["--data", data]);
  try {
    expect(server.output()).toContain("made this PC's certificate anew (the old one was near its end)");
    const renewed = new X509Certificate(readFileSync(join(tlsDir(data), "server.crt")));
    expect(new Date(renewed.validTo).getTime()).toBeGreaterThan(Date.now() + 390 * 86_400_000);
    expect(renewed.serialNumber).not.toBe(old.serialNumber);
    expect(renewed.checkIssued(caBefore)).toBe(true);
    expect(new X509Certificate(readFileSync(join(tlsDir(data), "ca.crt"))).fingerprint256).toBe(caBefore.fingerprint256);
    const ca = readFileSync(join(tlsDir(data), "ca.crt"), "utf8");
    expect((await fetch(`${server.url}/healthz`, { tls: { ca } })).status).toBe(200);
  } finally {
    await server.stop();
  }
});

test("a damaged certificate in the data folder stops serve with what to run, not a stack trace", async () => {
  const data = freshData();
  expect((await runCommand(sourceCommand, ["tls", "init", "--data", data])).code).toBe(0);
  writeFileSync(join(tlsDir(data), "server.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
  const r = await runCommand(sourceCommand, ["serve", "--data", data, "--host", "127.0.0.1", "--port", "0"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("is not a certificate ShopFlow can read; run 'shopflow tls init' to make it again");
});
