// A fake network receipt printer (raw TCP, port 9100 style) living in the test process: it records the bytes
// of every job and answers DLE EOT 1/2/4 status requests the way an Epson TM printer does.
import type { Socket, TCPSocketListener } from "bun";

export type FakePrinterState = { online: boolean; paper: "ok" | "near-end" | "out"; coverOpen: boolean; drawerOpen: boolean };

export type FakePrinter = {
  /** The address it listens on (127.x.y.z) and its port (9100 unless asked otherwise). */
  host: string;
  port: number;
  /** Every job byte of every connection, in order; status requests are not printed bytes. */
  received(): Uint8Array;
  /** One entry per connection that carried job bytes (status-only connections are left out). */
  jobs(): Uint8Array[];
  /** How many connections were accepted, status polls included. */
  connections(): number;
  setState(state: Partial<FakePrinterState>): void;
  /** true: stop listening, so connections are refused; false: listen again on the same port. */
  refuse(on: boolean): void;
  /** Cut each following connection after `n` job bytes, like a printer losing power; null: never. */
  dropAfter(n: number | null): void;
  stop(): void;
};

type Connection = { chunks: Uint8Array[]; count: number; pending: number[]; dropped: boolean };

const DLE = 0x10;
const EOT = 0x04;

// Written out from the Epson ESC/POS reference rather than taken from src/hardware/status.ts,
// so the tests check the parser against the printer's bit layout and not against itself.
function reply(n: number, s: FakePrinterState): number {
  const fixed = 0b0001_0010;
  const offline = !s.online || s.coverOpen || s.paper === "out";
  switch (n) {
    case 1: // printer status: bit 2 drawer pin 3 high (drawer open), bit 3 offline
      return fixed | (s.drawerOpen ? 0x04 : 0) | (offline ? 0x08 : 0);
    case 2: // offline cause: bit 2 cover open, bit 5 stopped by paper end
      return fixed | (s.coverOpen ? 0x04 : 0) | (s.paper === "out" ? 0x20 : 0);
    case 4: // roll paper sensor: bits 2-3 near end, bits 5-6 paper end
      return fixed | (s.paper === "ok" ? 0 : 0x0c) | (s.paper === "out" ? 0x60 : 0);
    default: // 3: error cause, nothing wrong
      return fixed;
  }
}

const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/**
 * A fake printer on a raw printing port, as a shop's would be (the store refuses other ports): port 9100 on an address
 * of its own in 127.0.0.0/8, so tests running at once never share one. `port` puts it on 127.0.0.1 at that port.
 */
export function startFakePrinter(options: { port?: number } = {}): FakePrinter {
  let state: FakePrinterState = { online: true, paper: "ok", coverOpen: false, drawerOpen: false };
  let dropLimit: number | null = null;
  let accepted = 0;
  const all: Connection[] = [];
  const open = new Set<Socket<Connection>>();

  function receive(socket: Socket<Connection>, data: Uint8Array): void {
    const c = socket.data;
    if (c.dropped) return;
    const bytes = c.pending.length > 0 ? concat([Uint8Array.from(c.pending), data]) : data;
    c.pending = [];
    const job = new Uint8Array(bytes.length);
    const answers: number[] = [];
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === DLE) {
        if (i + 2 >= bytes.length) {
          // maybe a status request cut in two by TCP: wait for the rest
          c.pending = [...bytes.subarray(i)];
          break;
        }
        const q = bytes[i + 2]!;
        if (bytes[i + 1] === EOT && q >= 1 && q <= 4) {
          answers.push(reply(q, state));
          i += 2;
          continue;
        }
      }
      if (dropLimit !== null && c.count + n >= dropLimit) {
        c.dropped = true;
        break;
      }
      job[n++] = b;
    }
    if (n > 0) {
      c.chunks.push(job.slice(0, n));
      c.count += n;
    }
    if (answers.length > 0) socket.write(Uint8Array.from(answers));
    if (c.dropped) socket.terminate();
  }

  function listen(port: number, hostname: string): TCPSocketListener<Connection> {
    return Bun.listen<Connection>({
      hostname,
      port,
      socket: {
        binaryType: "uint8array",
        open(socket) {
          accepted++;
          socket.data = { chunks: [], count: 0, pending: [], dropped: false };
          all.push(socket.data);
          open.add(socket);
        },
        data: receive,
        end(socket) {
          // the job is over: flush a lone trailing DLE that was held back, then close our side too
          const c = socket.data;
          if (!c.dropped && c.pending.length > 0) {
            c.chunks.push(Uint8Array.from(c.pending));
            c.count += c.pending.length;
            c.pending = [];
          }
          socket.end();
        },
        close(socket) {
          open.delete(socket);
        },
      },
    });
  }

  let server: TCPSocketListener<Connection> | null = null;
  let host = "127.0.0.1";
  if (options.port !== undefined) server = listen(options.port, host);
  for (let tries = 0; !server; tries++) {
    host = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    try {
      server = listen(9100, host);
    } catch (e) {
      if (tries > 20) throw e;
    }
  }
  const port = server.port;

  return {
    host,
    port,
    received: () => concat(all.flatMap((c) => c.chunks)),
    jobs: () => all.filter((c) => c.count > 0).map((c) => concat(c.chunks)),
    connections: () => accepted,
    setState(next) {
      state = { ...state, ...next };
    },
    refuse(on) {
      if (on && server) {
        server.stop(true);
        server = null;
      } else if (!on && !server) {
        server = listen(port, host);
      }
    },
    dropAfter(n) {
      dropLimit = n;
    },
    stop() {
      for (const s of open) s.terminate();
      server?.stop(true);
      server = null;
    },
  };
}
