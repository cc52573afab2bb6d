// What the TLS tests share: `shopflow serve` started as a shop starts it, answering on https (or http).
import { join, resolve } from "node:path";
import { sourceCommand } from "../helpers/server.ts";

const root = resolve(import.meta.dir, "../..");

export type Served = { url: string; port: number; output: () => string; stop(): Promise<void> };

/** Start `shopflow serve` on 127.0.0.1 and a free port; resolves once it says where it listens. */
export async function serve(args: string[]): Promise<Served> {
  const proc = Bun.spawn([...sourceCommand, "serve", "--host", "127.0.0.1", "--port", "0", ...args], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let m: RegExpExecArray | null = null;
  while (!m) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`serve did not start: ${text}${await new Response(proc.stderr).text()}`);
    text += decoder.decode(chunk.value);
    m = /serving on (https?):\/\/[^:]+:(\d+)/.exec(text);
  }
  void (async () => {
    for (;;) {
      const c = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (c.done) break;
      text += decoder.decode(c.value);
    }
  })();
  const port = Number(m[2]);
  return {
    url: `${m[1]}://127.0.0.1:${port}`,
    port,
    output: () => text,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

export const tlsDir = (data: string) => join(data, "tls");
