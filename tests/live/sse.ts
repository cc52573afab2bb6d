// Reading a text/event-stream the way a browser's SSE client does: messages split on blank lines, `event`, `data`
// (joined with newlines) and `id` fields, comments skipped. Used in-process (app.request) and over TCP (fetch).

export type SseMessage = { event: string; data: string; id: string | null };

/** One message from its lines, or null for a comment alone (a heartbeat). */
export function parseSseBlock(block: string): SseMessage | null {
  let event = "";
  const data: string[] = [];
  let id: string | null = null;
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  return event || data.length > 0 || id !== null ? { event, data: data.join("\n"), id } : null;
}

export type SseReader = {
  /** Every message read so far, in order. */
  readonly messages: SseMessage[];
  /** Whether the server ended the stream. */
  ended(): boolean;
  /** The first message (from `from` on) that `match` accepts, waiting for it up to `timeoutMs`; fails saying what came. */
  waitFor(match: (m: SseMessage) => boolean, what: string, options?: { from?: number; timeoutMs?: number }): Promise<SseMessage>;
  /** Wait until the server has ended the stream. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  /** Hang up, as a closed tab does. */
  close(): Promise<void>;
  /** Called with each message as it is read (the bench times them on arrival). */
  onMessage?: (m: SseMessage) => void;
};

export function readSse(res: Response): SseReader {
  if (!res.body) throw new Error("the answer has no body to read");
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = "";
  let ended = false;
  const self: SseReader = {
    messages,
    ended: () => ended,
    async waitFor(match, what, { from = 0, timeoutMs = 5000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.slice(from).find(match);
        if (found) return found;
        if (ended || Date.now() > deadline) {
          const seen = messages.map((m) => m.event || "(unnamed)").join(", ");
          throw new Error(`${what}: not in the stream${ended ? ", which ended" : ""} (it carried: ${seen || "nothing"})`);
        }
        await Bun.sleep(5);
      }
    },
    async waitForEnd(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!ended) {
        if (Date.now() > deadline) throw new Error("the stream did not end");
        await Bun.sleep(5);
      }
    },
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let at = buffer.search(/\r?\n\r?\n/); at >= 0; at = buffer.search(/\r?\n\r?\n/)) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at).replace(/^\r?\n\r?\n/, "");
          const m = parseSseBlock(block);
          if (!m) continue;
          messages.push(m);
          self.onMessage?.(m);
        }
      }
    } catch {
      // hung up
    } finally {
      ended = true;
    }
  })();
  return self;
}
