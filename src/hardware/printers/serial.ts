// Serial receipt printers (/dev/ttyS*, /dev/ttyUSB*, /dev/serial/by-id/*): the port opened raw by ../serial-port.ts
// (termios through bun:ffi), jobs and DLE EOT status over it.
import { closeSync } from "node:fs";
import { discardInput, discardOutput, isSerialBaud, openSerialPort, outputQueued, type SerialFlow, serialBauds } from "../serial-port.ts";
import { parseStatus, type StatusOptions, statusQueries, statusRequest } from "./status.ts";
import { errnoCode, oneAtATime, PrinterError, type PrinterStatus, readRepliesFromFd, type Transport, unreachableStatus, writeAllToFd } from "./transport.ts";

// the port itself (termios, the ports there are) is shared with the checkout scale: ../serial-port.ts
export { listSerialPorts } from "../serial-port.ts";

export type SerialOptions = {
  path: string;
  /** As set on the printer (DIP switches or its self-test page); one of `serialBauds`. */
  baud?: number;
  flow?: SerialFlow;
  /** Longest wait for the port to take more bytes (a printer holding CTS low, or sending XOFF) before giving up. */
  writeTimeoutMs?: number;
  statusTimeoutMs?: number;
  drawerOpenWhen?: StatusOptions["drawerOpenWhen"];
};

export function serialError(e: unknown, path: string, baud: number): PrinterError {
  if (e instanceof PrinterError) return e;
  switch (errnoCode(e)) {
    case "ENOENT":
      return new PrinterError(
        "offline",
        `No serial port at ${path}: check that the cable or USB-serial adapter is plugged in (a /dev/serial/by-id/ name survives replugging, /dev/ttyUSB0 may not).`,
      );
    case "ENODEV":
    case "ENXIO":
    case "EIO":
      return new PrinterError(
        "offline",
        `The serial port ${path} stopped working: check that the USB-serial adapter is still plugged in, then switch the printer off and on.`,
      );
    case "EACCES":
    case "EPERM":
      return new PrinterError(
        "refused",
        `Not allowed to open ${path}: add the user running ShopFlow to the group dialout (sudo usermod -aG dialout USER), then restart ShopFlow.`,
      );
    case "EBUSY":
      return new PrinterError("refused", `${path} is in use by another program: stop it, or give ShopFlow its own port.`);
    case "ENOTTY":
    case "EINVAL":
      return new PrinterError("io", `${path} is not a serial port: pick one from the list of serial ports.`);
    case "ESPEED":
      return new PrinterError("io", `${path} does not accept ${baud} baud: use the speed printed on the printer's self-test page.`);
    case "ERTSCTS":
      return new PrinterError("io", `${path} does not support RTS/CTS flow control: choose XON/XOFF or none, as set on the printer.`);
    default:
      return new PrinterError("io", `Could not use the serial port ${path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export function serialTransport(options: SerialOptions): Transport {
  const { path, baud = 9600, flow = "none", writeTimeoutMs = 5000, statusTimeoutMs = 800 } = options;
  const lane = oneAtATime();
  // Kept open from first use to close(): nobody else shares a serial line, and reopening would reset it each time.
  let fd: number | null = null;
  let closed = false;

  function port(): number {
    if (closed) throw new PrinterError("io", `The serial port ${path} was already closed.`);
    if (fd !== null) return fd;
    // Checked here, not when the transport is made, so a bad setting fails a job with a reason instead of throwing.
    if (!isSerialBaud(baud)) {
      throw new PrinterError("io", `${baud} baud is not supported for ${path}: use one of ${serialBauds.join(", ")}, as set on the printer.`);
    }
    fd = openSerialPort(path, { baud, flow });
    return fd;
  }

  /** Close the port; after a failure the next job opens it afresh (an adapter may have been replugged). */
  function release(failed: boolean): void {
    if (fd === null) return;
    const old = fd;
    fd = null;
    // Output stuck behind a printer that holds CTS low would make close() wait for it (up to 30 s in the tty layer),
    // blocking every register. Only then drop it: a pty reports an empty queue while its far end has not read yet.
    const queued = outputQueued(old);
    if (failed || (queued !== null && queued > 0)) discardOutput(old);
    closeSync(old);
  }

  /** Wait until the UART has sent everything, so the job is on the wire and close() will not block. */
  async function drained(port: number, total: number): Promise<void> {
    let last = outputQueued(port);
    let deadline = Date.now() + writeTimeoutMs;
    while (last !== null && last > 0) {
      if (Date.now() >= deadline) {
        throw new PrinterError(
          "timeout",
          `The printer on ${path} stopped taking data (${total - last} of ${total} bytes sent): check paper, cover and the error light.`,
        );
      }
      await Bun.sleep(20);
      const now = outputQueued(port);
      if (now !== null && now < last) deadline = Date.now() + writeTimeoutMs;
      last = now;
    }
  }

  const stalled = (total: number) => (sent: number) =>
    new PrinterError(
      "timeout",
      `The printer on ${path} stopped taking data (${sent} of ${total} bytes sent): check paper, cover, cable and the flow control setting.`,
    );

  return {
    description: `serial ${path} ${baud} baud${flow === "none" ? "" : ` ${flow}`}`,

    send: (bytes) =>
      lane(async () => {
        try {
          const p = port();
          await writeAllToFd(p, bytes, writeTimeoutMs, stalled(bytes.length));
          await drained(p, bytes.length);
        } catch (e) {
          release(true);
          throw serialError(e, path, baud);
        }
      }),

    status: () =>
      lane(async (): Promise<PrinterStatus | null> => {
        let p: number;
        try {
          p = port();
        } catch (e) {
          const error = serialError(e, path, baud);
          if (error.code === "offline" || error.code === "refused") return unreachableStatus(error.message);
          throw error;
        }
        try {
          discardInput(p); // stale bytes must not pass for replies
          await writeAllToFd(p, statusRequest, statusTimeoutMs, stalled(statusRequest.length));
          const replies = await readRepliesFromFd(p, statusQueries.length, statusTimeoutMs);
          if (!replies || replies.length === 0) return null; // transmit-only cable, or a printer that keeps quiet
          return parseStatus(replies, { drawerOpenWhen: options.drawerOpenWhen });
        } catch (e) {
          if (e instanceof PrinterError && e.code === "timeout") {
            discardOutput(p); // a request nobody takes must not sit in front of the next job
            return null;
          }
          release(true);
          throw serialError(e, path, baud);
        }
      }),

    async close() {
      await lane(async () => {
        closed = true;
        release(false);
      });
    },
  };
}
