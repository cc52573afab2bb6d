// The built binary as a child process: start it on 127.0.0.1, time it to its first healthy answer, read its memory, stop it.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { progress } from "./stats.ts";

export type RunningServer = {
  baseUrl: string;
  pid: number;
  /** Spawn to the first 200 from /healthz. */
  startMs: number;
  /** Resident memory now, from /proc/PID/status (VmRSS); null where /proc is not there. */
  rssMb(): number | null;
  /** CPU time (user + system) the server has used so far, from /proc/PID/stat; null where /proc is not there. */
  cpuMs(): number | null;
  /** The last lines the server wrote, for error messages. */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL when it is not gone in time. */
  stop(): Promise<{ stopMs: number; exitCode: number | null; killed: boolean }>;
};

/** A port nothing listens on right now (the OS picks it; the server binds it a moment later). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export function readRssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

// /proc/PID/stat counts in clock ticks; USER_HZ is 100 on every Linux this runs on.
const TICK_MS = 10;

export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** Keep the last few kilobytes of a child's output so a failure can say what the server said. */
function drain(stream: ReadableStream<Uint8Array>, sink: { text: string }): void {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink.text = (sink.text + decoder.decode(value, { stream: true })).slice(-4000);
    }
  })().catch(() => {});
}

export async function startServer(options: { binary: string; dataDir: string; timeoutMs: number }): Promise<RunningServer> {
  if (!existsSync(options.binary)) throw new Error(`${options.binary} is missing; run 'make build' first`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sink = { text: "" };
  const t0 = performance.now();
  const proc = Bun.spawn([options.binary, "serve", "--data", options.dataDir, "--port", String(port), "--host", "127.0.0.1"], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  drain(proc.stdout, sink);
  drain(proc.stderr, sink);
  let exitCode: number | null = null;
  void proc.exited.then((code) => (exitCode = code));

  const server: RunningServer = {
    baseUrl,
    pid: proc.pid,
    startMs: 0,
    rssMb: () => readRssMb(proc.pid),
    cpuMs: () => readCpuMs(proc.pid),
    output: () => sink.text,
    exited: () => exitCode !== null,
    async stop() {
      const s0 = performance.now();
      if (exitCode !== null) return { stopMs: 0, exitCode, killed: false };
      proc.kill("SIGTERM");
      const timer = Bun.sleep(5000).then(() => "timeout" as const);
      const outcome = await Promise.race([proc.exited, timer]);
      if (outcome === "timeout") {
        progress("server did not exit within 5 s of SIGTERM; sending SIGKILL");
        proc.kill("SIGKILL");
        await proc.exited;
        return { stopMs: Math.round(performance.now() - s0), exitCode: null, killed: true };
      }
      return { stopMs: Math.round(performance.now() - s0), exitCode: outcome, killed: false };
    },
  };

  // Poll tightly: a refused connection answers at once, so a short pause keeps the measure within a couple of ms.
  const deadline = t0 + options.timeoutMs;
  while (performance.now() < deadline) {
    if (exitCode !== null) throw new Error(`the server exited with code ${exitCode} before it was healthy:\n${sink.text}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        server.startMs = Math.round((performance.now() - t0) * 10) / 10;
        return server;
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(2);
  }
  await server.stop();
  throw new Error(`the server was not healthy within ${options.timeoutMs} ms:\n${sink.text}`);
}
