// Installing and removing the systemd service: the unit file, the service's user and data folder, and systemctl when
// systemd runs this machine (in a container or a chroot it may not: then the commands to run are printed instead).
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type UnitSpec, unitName, unitText } from "./unit.ts";

export type InstallRequest = {
  role: UnitSpec["role"];
  user: string;
  port: number;
  dataDir: string;
  /** Where the unit goes: /etc/systemd/system, or a test's folder (then no user, chown or systemctl is touched). */
  unitDir: string;
  /** Head office's database URL and other settings, kept in an environment file only root reads. */
  hqEnvironment?: Record<string, string>;
  /** For tests: whether systemd runs this machine. */
  systemdRunning?: boolean;
};

export type Done = { unitFile: string; lines: string[] };

export const SYSTEM_UNIT_DIR = "/etc/systemd/system";

/** Whether systemd is this machine's init: the check sd_booted(3) makes. */
export const systemdRuns = () => existsSync("/run/systemd/system");

/** The command that starts this very program: the compiled binary, or Bun with the entry file when run from source. */
export function thisProgram(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || /^[A-Z]:[\\/]~BUN[\\/]/.test(Bun.main);
  return compiled ? [process.execPath] : [process.execPath, resolve(Bun.main)];
}

function run(command: string[]): { ok: boolean; output: string } {
  const p = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
  return { ok: p.exitCode === 0, output: `${p.stdout.toString()}${p.stderr.toString()}`.trim() };
}

const userExists = (user: string) => run(["id", "-u", user]).ok;

export function installService(req: InstallRequest): Done {
  const exec = thisProgram();
  const forReal = req.unitDir === SYSTEM_UNIT_DIR;
  const lines: string[] = [];
  // the unit hides /home, /root and /tmp from the service: a binary left there would not start
  const hidden = exec.find((p) => /^\/(home|root|tmp|var\/tmp|run\/user)\//.test(p));
  if (hidden !== undefined) {
    const why = `the service cannot start ${hidden} from there (it sees no home folders and a /tmp of its own); copy it first: sudo install -m 755 ${hidden} /usr/local/bin/shopflow, then run /usr/local/bin/shopflow service install`;
    if (forReal) throw new Error(why);
    lines.push(`note: ${why}`);
  }
  if (forReal && req.role === "store" && /^\/(tmp|var\/tmp)(\/|$)/.test(req.dataDir))
    throw new Error(`the service has a /tmp of its own and would not see ${req.dataDir}: give --data a lasting folder such as /var/lib/shopflow`);
  const name = unitName(req.role);
  const unitFile = join(req.unitDir, name);
  let environmentFile: string | undefined;
  if (req.role === "hq") {
    environmentFile = join(forReal ? "/etc/shopflow" : req.unitDir, "shopflow-hq.env");
    mkdirSync(dirname(environmentFile), { recursive: true });
    const env = Object.entries(req.hqEnvironment ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    writeFileSync(environmentFile, `# head office's settings for ${name}; readable by root only (it holds the database password)\n${env.join("\n")}\n`, {
      mode: 0o600,
    });
    chmodSync(environmentFile, 0o600);
    lines.push(`wrote ${environmentFile} (readable by root only)`);
  }
  if (forReal) {
    if (process.getuid?.() !== 0) throw new Error("installing a service needs root: run it again with sudo");
    if (!userExists(req.user)) {
      const made = run([
        "useradd",
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        req.role === "store" ? req.dataDir : "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        req.user,
      ]);
      if (!made.ok) throw new Error(`could not create the user ${req.user} (${made.output}); create it yourself, or give --user NAME of an existing one`);
      lines.push(`created the system user ${req.user}`);
    }
    if (req.role === "store") {
      mkdirSync(req.dataDir, { recursive: true, mode: 0o750 });
      // the service writes the database, backups and certificates there as its own user
      const chown = run(["chown", "-R", `${req.user}:`, req.dataDir]);
      if (!chown.ok) throw new Error(`could not give ${req.dataDir} to ${req.user} (${chown.output})`);
      lines.push(`data folder ${req.dataDir}, owned by ${req.user}`);
    }
  }
  mkdirSync(req.unitDir, { recursive: true });
  writeFileSync(unitFile, unitText({ role: req.role, exec, user: req.user, port: req.port, dataDir: req.dataDir, environmentFile }), { mode: 0o644 });
  lines.push(`wrote ${unitFile}`);
  const steps = [
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "--now", name],
  ];
  if (forReal && (req.systemdRunning ?? systemdRuns())) {
    for (const step of steps) {
      const r = run(step);
      if (!r.ok) throw new Error(`${step.join(" ")} failed: ${r.output}`);
    }
    lines.push(`${name} is enabled and running; it starts at boot. See it with: systemctl status ${name}, journalctl -u ${name}`);
  } else {
    lines.push(
      forReal
        ? "systemd is not running on this machine (a container?): on the machine that runs it, do:"
        : "to use it, copy it to /etc/systemd/system and run:",
      ...steps.map((s) => `  sudo ${s.join(" ")}`),
    );
  }
  return { unitFile, lines };
}

export function uninstallService(role: UnitSpec["role"], unitDir: string, systemdRunning = systemdRuns()): Done {
  const name = unitName(role);
  const unitFile = join(unitDir, name);
  const forReal = unitDir === SYSTEM_UNIT_DIR;
  if (!existsSync(unitFile)) throw new Error(`${unitFile} is not there: the service is not installed`);
  if (!readFileSync(unitFile, "utf8").includes("shopflow service install")) throw new Error(`${unitFile} was not written by shopflow; remove it yourself`);
  const lines: string[] = [];
  if (forReal && process.getuid?.() !== 0) throw new Error("removing a service needs root: run it again with sudo");
  if (forReal && systemdRunning) {
    const r = run(["systemctl", "disable", "--now", name]);
    if (!r.ok) throw new Error(`systemctl disable --now ${name} failed: ${r.output}`);
  }
  rmSync(unitFile);
  if (role === "hq") rmSync(join(forReal ? "/etc/shopflow" : unitDir, "shopflow-hq.env"), { force: true });
  lines.push(`removed ${unitFile}`);
  if (forReal && systemdRunning) run(["systemctl", "daemon-reload"]);
  else if (forReal) lines.push(`systemd is not running here; on the machine that runs it: sudo systemctl disable --now ${name}`);
  lines.push(role === "store" ? "the data folder and the user are kept: the sales are still there" : "the database and the user are kept");
  return { unitFile, lines };
}
