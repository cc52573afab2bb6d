// Real store server processes for tests: the source run by Bun, or the compiled binary.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
const bun = process.execPath;

let built: Promise<string> | null = null;

/** Compile dist-like binary once per test run, into a temp dir with no node_modules beside it (entry points as in `make build`). */
export function buildBinary(): Promise<string> {
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), "shopflow-bin-")), "shopflow");
    const entries = ["src/main.ts", "src/server/db/checkpoint-worker.ts", "src/server/backups/backup-worker.ts"].map((e) => join(root, e));
    const p = Bun.spawn([bun, "build", "--compile", "--splitting", ...entries, "--outfile", out], { cwd: root, stdout: "pipe", stderr: "pipe" });
    if ((await p.exited) !== 0) throw new Error(`build failed: ${await new Response(p.stderr).text()}`);
    return out;
  })();
  return built;
}

export type Running = {
  url: string;
  port: number;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
};

/**
 * Start `serve` (or `hq`) and wait until it says where it listens; `command` is the binary or [bun, src/main.ts].
 * `port` 0 takes a free one; give the same port again to restart a server where its clients expect it.
 */
export async function startServer(
  command: string[],
  args: string[],
  env: Record<string, string> = {},
  role: "serve" | "hq" = "serve",
  port0 = 0,
): Promise<Running> {
  const proc = Bun.spawn([...command, role, "--host", "127.0.0.1", "--port", String(port0), ...args], {
    cwd: root,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  let text = "";
  const decoder = new TextDecoder();
  const reader = proc.stdout.getReader();
  const deadline = Date.now() + 30_000;
  let port = 0;
  while (!port) {
    const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(0, deadline - Date.now())).then(() => null)]);
    if (!chunk || chunk.done) {
      proc.kill(9);
      throw new Error(`server did not start: ${text}${await new Response(proc.stderr).text()}`);
    }
    text += decoder.decode(chunk.value);
    const m = /serving on http:\/\/[^:]+:(\d+)/.exec(text);
    if (m) port = Number(m[1]);
  }
  // keep draining stdout so the child never blocks on a full pipe
  void (async () => {
    for (;;) {
      const c = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (c.done) break;
      text += decoder.decode(c.value);
    }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    output: () => text,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
    async kill() {
      proc.kill(9);
      await proc.exited;
    },
  };
}

export const sourceCommand = [bun, join(root, "src/main.ts")];

/** Run a CLI command to completion; stdout, stderr and the exit code. */
export async function runCommand(command: string[], args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawn([...command, ...args], { cwd: root, stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}
