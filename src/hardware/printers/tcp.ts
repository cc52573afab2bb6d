// Raw TCP printing (port 9100, "JetDirect"): one connection per job or status poll, since printers drop idle ones.
import type { Socket } from "bun";
import { isStatusReply, parseStatus, type StatusOptions, statusQueries, statusRequest } from "./status.ts";
import { errnoCode, oneAtATime, PrinterError, type PrinterStatus, type Transport, unreachableStatus } from "./transport.ts";

export type TcpOptions = {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
  /** Longest wait for the printer to take more bytes (or to confirm it has them) before giving up. */
  writeTimeoutMs?: number;
  /** Longest wait for the replies to a status request. */
  statusTimeoutMs?: number;
  drawerOpenWhen?: StatusOptions["drawerOpenWhen"];
};

/** One open connection: the replies it brought and the events a waiting writer cares about. */
class Link {
  socket: Socket<undefined> | null = null;
  readonly replies: number[] = [];
  closed = false;
  private wake: (() => void) | null = null;

  notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Wait for the next socket event; false when `ms` passed first. */
  next(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** Wait until `done()` holds or the link closes; false when `ms` passed first. */
  async until(done: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (this.closed) return false;
      if (!(await this.next(deadline - Date.now()))) return done();
    }
    return true;
  }
}

export function tcpTransport(options: TcpOptions): Transport {
  const { host, port = 9100, connectTimeoutMs = 3000, writeTimeoutMs = 5000, statusTimeoutMs = 800 } = options;
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const lane = oneAtATime();
  // Whether this printer answers DLE EOT: learnt from status() or from the receipt check after a job.
  let answers: boolean | null = null;
  let closed = false;

  async function connect(): Promise<Link> {
    const link = new Link();
    const pending = Bun.connect({
      hostname: host,
      port,
      socket: {
        binaryType: "uint8array",
        data(_socket, data) {
          for (const byte of data) if (isStatusReply(byte)) link.replies.push(byte);
          link.notify();
        },
        drain: () => link.notify(),
        close() {
          link.closed = true;
          link.notify();
        },
        connectError() {
          // the rejected promise below reports it
        },
      },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), connectTimeoutMs)));
    try {
      const socket = await Promise.race([pending, timedOut]);
      if (!socket) {
        pending.then(
          (late) => late.terminate(),
          () => undefined,
        );
        throw new PrinterError(
          "timeout",
          `No answer from the printer at ${where} within ${seconds(connectTimeoutMs)}: check that it is switched on and connected to the network.`,
        );
      }
      link.socket = socket;
      return link;
    } catch (e) {
      throw e instanceof PrinterError ? e : connectError(e, where);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Hand every byte to the socket, waiting for drain when the printer (or the network) pushes back. */
  async function writeAll(link: Link, bytes: Uint8Array): Promise<void> {
    const socket = link.socket!;
    let offset = 0;
    let deadline = Date.now() + writeTimeoutMs;
    while (offset < bytes.length) {
      if (link.closed) throw dropped(where, offset, bytes.length);
      const written = socket.write(bytes.subarray(offset));
      if (written < 0) throw dropped(where, offset, bytes.length);
      if (written > 0) {
        offset += written;
        deadline = Date.now() + writeTimeoutMs;
      }
      if (offset < bytes.length && !(await link.next(deadline - Date.now()))) {
        throw new PrinterError(
          "timeout",
          `The printer at ${where} stopped taking data (${offset} of ${bytes.length} bytes sent): check paper, cover and the error light.`,
        );
      }
    }
  }

  /**
   * TCP cannot tell us the printer got the bytes: a printer that loses power mid-job leaves them in our socket buffer.
   * A DLE EOT 1 after the job comes back only once the printer has read everything before it.
   */
  async function confirmReceipt(link: Link, total: number): Promise<void> {
    link.replies.length = 0;
    await writeAll(link, statusQueries[0]!);
    const replied = await link.until(() => link.replies.length > 0, answers ? writeTimeoutMs : statusTimeoutMs);
    if (replied) {
      answers = true;
      return;
    }
    if (link.closed) throw dropped(where, null, total);
    answers = false; // a one-way printer: the job went out, we just cannot hear about it
  }

  function checkOpen(): void {
    if (closed) throw new PrinterError("io", `The connection to the printer at ${where} was already closed.`);
  }

  return {
    description: `tcp ${where}`,

    send: (bytes) =>
      lane(async () => {
        checkOpen();
        const link = await connect();
        try {
          await writeAll(link, bytes);
          if (answers !== false) await confirmReceipt(link, bytes.length);
        } catch (e) {
          link.socket?.terminate();
          throw e;
        }
        // Bun closes our side at once; the kernel still delivers what is queued, then sends FIN.
        link.socket?.end();
      }),

    status: () =>
      lane(async (): Promise<PrinterStatus | null> => {
        checkOpen();
        let link: Link;
        try {
          link = await connect();
        } catch (e) {
          if (e instanceof PrinterError) return unreachableStatus(e.message);
          throw e;
        }
        try {
          await writeAll(link, statusRequest);
          await link.until(() => link.replies.length >= statusQueries.length, statusTimeoutMs);
        } catch (e) {
          if (!(e instanceof PrinterError)) throw e;
        } finally {
          link.socket?.end();
        }
        if (link.replies.length === 0) {
          answers = false;
          return null;
        }
        answers = true;
        return parseStatus(link.replies, { drawerOpenWhen: options.drawerOpenWhen });
      }),

    async close() {
      closed = true;
      await lane(async () => undefined);
    },
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function dropped(where: string, sent: number | null, total: number): PrinterError {
  const progress = sent === null ? `${total} bytes sent, not confirmed` : `${sent} of ${total} bytes sent`;
  return new PrinterError("io", `The printer at ${where} dropped the connection mid-job (${progress}): check that it is switched on and connected.`);
}

function connectError(e: unknown, where: string): PrinterError {
  const code = errnoCode(e);
  switch (code) {
    case "ECONNREFUSED":
      return new PrinterError(
        "offline",
        `The printer at ${where} refused the connection: check that it is switched on and that ${where} is its address and port.`,
      );
    case "ETIMEDOUT":
      return new PrinterError("timeout", `No answer from the printer at ${where}: check that it is switched on and connected to the network.`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
    case "ENETDOWN":
      return new PrinterError("offline", `The printer at ${where} cannot be reached: check its network cable and power, and its address.`);
    case "ENOTFOUND":
    case "EAI_NONAME":
    case "EAI_AGAIN":
    case "DNS_ENOTFOUND":
      return new PrinterError("offline", `The printer address ${where} is not known on this network: check the printer settings.`);
    default:
      return new PrinterError("io", `Could not connect to the printer at ${where}: ${e instanceof Error ? e.message : String(e)}${code ? ` (${code})` : ""}.`);
  }
}
