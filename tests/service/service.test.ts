// `shopflow service install` writes a systemd unit that systemd itself accepts (systemd-analyze verify), hardened and
// able to reach printers; head office's keeps its database URL out of the unit; uninstall removes only its own files.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBinary, runCommand, sourceCommand } from "../helpers/server.ts";

const root = mkdtempSync(join(tmpdir(), "shopflow-service-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `case-${++n}`);
const shopflow = (args: string[], env: Record<string, string> = {}) => runCommand(sourceCommand, args, env);

/** systemd's own check of a unit file: it must pass with nothing to say (an unknown key is only a warning there). */
async function verify(unitFile: string): Promise<{ code: number; said: string }> {
  const analyze = Bun.which("systemd-analyze");
  if (!analyze) throw new Error("systemd-analyze is missing: install the Debian package systemd (make system-deps does)");
  const r = await runCommand([analyze], ["verify", unitFile]);
  return { code: r.code, said: `${r.stdout}${r.stderr}`.trim() };
}

test("the store's unit: restarted always, hardened, the data folder writable, printers and serial ports reachable", async () => {
  const units = fresh();
  const data = join(fresh(), "store data");
  const r = await shopflow(["service", "install", "--unit-dir", units, "--data", data, "--port", "8080", "--user", "shopflow"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const file = join(units, "shopflow.service");
  expect(r.stdout).toContain(`wrote ${file}`);
  // not the system's folder: nothing enabled, the commands to run are said instead
  expect(r.stdout).toContain("sudo systemctl enable --now shopflow.service");
  const unit = readFileSync(file, "utf8");
  for (const line of [
    "Restart=always",
    "User=shopflow",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    `ReadWritePaths="${data}"`,
    `WorkingDirectory=${data}`,
    `Environment="SHOPFLOW_DATA=${data}"`,
    "PrivateTmp=yes",
    "ProtectHome=yes",
    "CapabilityBoundingSet=",
    "SupplementaryGroups=lp dialout",
    "DevicePolicy=closed",
    "DeviceAllow=char-usb rw",
    "DeviceAllow=char-ttyS rw",
    "DeviceAllow=char-ttyUSB rw",
    "WantedBy=multi-user.target",
  ])
    expect(unit.split("\n")).toContain(line);
  // a folder name with a space is quoted for systemd
  expect(unit).toContain(`serve --data "${data}" --port 8080`);
  expect(await verify(file)).toEqual({ code: 0, said: "" });

  const gone = await shopflow(["service", "uninstall", "--unit-dir", units]);
  expect(gone.code).toBe(0);
  expect(gone.stdout).toContain("the data folder and the user are kept");
  expect(existsSync(file)).toBe(false);
});

test("a port under 1024 gets the one capability it needs; a data folder in a home folder is let through", async () => {
  const units = fresh();
  const data = "/home/shop/shopflow-data";
  const r = await shopflow(["service", "install", "--unit-dir", units, "--data", data, "--port", "443"]);
  expect(r.code).toBe(0);
  const file = join(units, "shopflow.service");
  const unit = readFileSync(file, "utf8").split("\n");
  expect(unit).toContain("CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
  expect(unit).toContain("AmbientCapabilities=CAP_NET_BIND_SERVICE");
  expect(unit).toContain("ProtectHome=read-only");
  expect(unit).toContain(`ReadWritePaths=${data}`);
  expect(await verify(file)).toEqual({ code: 0, said: "" });
});

test("head office's unit keeps the database URL in a file only root reads, never in the unit", async () => {
  const units = fresh();
  const url = "postgres://shopflow:s3cret@db.example:5432/hq";
  const r = await shopflow(["service", "install", "--hq", "--unit-dir", units, "--database-url", url], { SHOPFLOW_HQ_TIME_ZONE: "Europe/Paris" });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const file = join(units, "shopflow-hq.service");
  const unit = readFileSync(file, "utf8");
  expect(unit).not.toContain("s3cret");
  expect(unit).toContain("hq --port 8090");
  const envFile = join(units, "shopflow-hq.env");
  expect(unit.split("\n")).toContain(`EnvironmentFile=${envFile}`);
  expect(statSync(envFile).mode & 0o777).toBe(0o600);
  const env = readFileSync(envFile, "utf8");
  expect(env).toContain(`SHOPFLOW_HQ_DATABASE_URL="${url}"`);
  expect(env).toContain('SHOPFLOW_HQ_TIME_ZONE="Europe/Paris"');
  expect(await verify(file)).toEqual({ code: 0, said: "" });

  expect((await shopflow(["service", "uninstall", "--hq", "--unit-dir", units])).code).toBe(0);
  expect(existsSync(file)).toBe(false);
  expect(existsSync(envFile)).toBe(false);
});

test("what install and uninstall refuse, each with a sentence to act on", async () => {
  const units = fresh();
  const noUrl = await shopflow(["service", "install", "--hq", "--unit-dir", units], { SHOPFLOW_HQ_DATABASE_URL: "" });
  expect(noUrl.code).toBe(2);
  expect(noUrl.stderr).toContain("service install --hq needs --database-url");
  const storeUrl = await shopflow(["service", "install", "--unit-dir", units, "--database-url", "postgres://x@y/z"]);
  expect(storeUrl.code).toBe(2);
  expect(storeUrl.stderr).toContain("add --hq to install head office");
  const badUser = await shopflow(["service", "install", "--unit-dir", units, "--user", "Shop Owner"]);
  expect(badUser.code).toBe(2);
  expect(badUser.stderr).toContain("--user takes a system user name");
  const badPort = await shopflow(["service", "install", "--unit-dir", units, "--port", "http"]);
  expect(badPort.code).toBe(2);
  const notThere = await shopflow(["service", "uninstall", "--unit-dir", units]);
  expect(notThere.code).toBe(1);
  expect(notThere.stderr).toContain("the service is not installed");
  mkdirSync(units, { recursive: true });
  writeFileSync(join(units, "shopflow.service"), "[Service]\nExecStart=/bin/true\n");
  const foreign = await shopflow(["service", "uninstall", "--unit-dir", units]);
  expect(foreign.code).toBe(1);
  expect(foreign.stderr).toContain("was not written by shopflow");
  expect(existsSync(join(units, "shopflow.service"))).toBe(true);
  expect(await Bun.file(join(units, "shopflow.service")).text()).toBe("[Service]\nExecStart=/bin/true\n");
});

test("from the compiled binary, the unit starts that binary; one left in /tmp is noted, as the service could not see it", async () => {
  const units = fresh();
  const bin = await buildBinary();
  const r = await runCommand([bin], ["service", "install", "--unit-dir", units, "--data", "/var/lib/shopflow"], { PATH: "/usr/bin:/bin" });
  expect(r.code).toBe(0);
  const file = join(units, "shopflow.service");
  expect(readFileSync(file, "utf8").split("\n")).toContain(`ExecStart=${bin} serve --data /var/lib/shopflow --port 8080`);
  if (bin.startsWith("/tmp/")) expect(r.stdout).toContain(`note: the service cannot start ${bin} from there`);
  expect(await verify(file)).toEqual({ code: 0, said: "" });
});
