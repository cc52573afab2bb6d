// A throwaway PostgreSQL cluster for tests: its own temp dir and free port, stopped, killed -9 and restarted at will.
// The postmaster is this process's child (not daemonised by pg_ctl): here PID 1 reaps no orphans, and a killed
// postmaster left as a zombie would still "hold" its lock file, so the cluster could never start again.
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export type TestPostgres = {
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown (SIGINT), as an operator would stop it. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster and every child at once: a crash, not a shutdown. */
  kill(): Promise<void>;
  /** Start again on the same data directory and port; after kill() this runs crash recovery. */
  start(): Promise<void>;
  /** Stop (or kill) if running and remove the temp dir. Call it in afterAll: `bun test` runs no exit handlers. */
  cleanup(): Promise<void>;
};

/** Where the PostgreSQL programs are: $PG_BIN, or the newest /usr/lib/postgresql/N/bin. */
export function pgBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = readdirSync("/usr/lib/postgresql")
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("PostgreSQL is not installed (/usr/lib/postgresql/*/bin); run make system-deps");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** PostgreSQL refuses to run as root: as root, run it as the postgres user. */
function runAs(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const line = Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
  const gid = Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim();
  if (!line || !gid) throw new Error("running as root needs a postgres OS user to run the test cluster");
  return { uid: Number(line), gid: Number(gid) };
}

async function freePort(): Promise<number> {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

async function run(cmd: string[], user: { uid: number; gid: number } | null): Promise<void> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", ...(user ?? {}) });
  if ((await p.exited) !== 0) {
    throw new Error(`${cmd[0]} failed: ${await new Response(p.stdout).text()}${await new Response(p.stderr).text()}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = pgBinDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "shopflow-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  // --no-sync only skips syncing what initdb wrote; the server itself keeps fsync on, as the crash tests need.
  await run([`${bin}/initdb`, "-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"], user);
  const port = await freePort();
  let proc: Bun.Subprocess | null = null;

  async function ready(p: Bun.Subprocess): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (p.exitCode !== null || p.signalCode !== null) {
        throw new Error(
          `postgres exited while starting:\n${await Bun.file(logFile)
            .text()
            .catch(() => "")}`,
        );
      }
      const check = Bun.spawnSync([`${bin}/pg_isready`, "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres"]);
      if (check.exitCode === 0) return;
      if (Date.now() > deadline) throw new Error(`postgres did not become ready:\n${await Bun.file(logFile).text()}`);
      await Bun.sleep(50);
    }
  }

  async function start(): Promise<void> {
    if (proc) throw new Error("the test cluster is already running");
    const p = Bun.spawn(
      [
        `${bin}/postgres`,
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "shared_buffers=32MB",
        "-c",
        "max_connections=60",
        "-c",
        "max_wal_size=1GB",
      ],
      // Its own process group, so kill() reaches the postmaster and all its children in one signal.
      { detached: true, stdin: "ignore", stdout: "ignore", stderr: Bun.file(logFile), ...(user ?? {}) },
    );
    proc = p;
    try {
      await ready(p);
    } catch (e) {
      await kill();
      throw e;
    }
  }

  async function stop(): Promise<void> {
    const p = proc;
    if (!p) return;
    p.kill("SIGINT");
    await p.exited;
    proc = null;
  }

  async function kill(): Promise<void> {
    const p = proc;
    if (!p) return;
    try {
      process.kill(-p.pid, "SIGKILL");
    } catch {
      p.kill("SIGKILL");
    }
    await p.exited;
    proc = null;
    // The children are gone with the group; wait until none of them is still running (zombies are harmless).
    const deadline = Date.now() + 10_000;
    while (groupAlive(p.pid) && Date.now() < deadline) await Bun.sleep(20);
  }

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    kill,
    start,
    async cleanup() {
      await stop().catch(() => kill());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Is any process of this group still running (not a zombie)? */
function groupAlive(pgid: number): boolean {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === pgid) return true;
  }
  return false;
}
