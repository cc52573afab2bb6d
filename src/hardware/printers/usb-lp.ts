// USB printer class devices (/dev/usb/lpN, the Linux usblp driver): plain writes to a character device.
import { closeSync, constants, fstatSync, openSync, readdirSync } from "node:fs";
import { PAPER_OUT, parseStatus, type StatusOptions, statusQueries, statusRequest } from "./status.ts";
import { errnoCode, oneAtATime, PrinterError, type PrinterStatus, readRepliesFromFd, type Transport, unreachableStatus, writeAllToFd } from "./transport.ts";

export type UsbLpOptions = {
  path: string;
  /** Longest wait for the printer to take more bytes before giving up. */
  writeTimeoutMs?: number;
  statusTimeoutMs?: number;
  drawerOpenWhen?: StatusOptions["drawerOpenWhen"];
};

/** The USB printers the kernel sees now, e.g. ["/dev/usb/lp0"]. */
export function listUsbPrinters(dir = "/dev/usb"): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /^lp\d+$/.test(name))
      .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
      .map((name) => `${dir}/${name}`);
  } catch {
    return [];
  }
}

// Never O_CREAT: if the printer is unplugged, its /dev node is gone, and creating a plain file in its place would
// swallow every receipt silently. O_APPEND only matters for the plain-file stand-in used in tests.
const { O_RDWR, O_WRONLY, O_NONBLOCK, O_APPEND, O_NOCTTY } = constants;

/** Open read-write where allowed (needed for status), else write-only. */
function openDevice(path: string): { fd: number; readable: boolean } {
  const flags = O_NONBLOCK | O_APPEND | O_NOCTTY;
  try {
    return { fd: openSync(path, O_RDWR | flags), readable: true };
  } catch (e) {
    const code = errnoCode(e);
    if (code !== "EACCES" && code !== "EPERM" && code !== "EROFS") throw usbError(e, path);
  }
  try {
    return { fd: openSync(path, O_WRONLY | flags), readable: false };
  } catch (e) {
    throw usbError(e, path);
  }
}

export function usbError(e: unknown, path: string): PrinterError {
  if (e instanceof PrinterError) return e;
  switch (errnoCode(e)) {
    case "ENOENT":
    case "ENODEV":
    case "ENXIO":
      return new PrinterError("offline", `No printer at ${path}: check that the USB cable is plugged in at both ends and the printer is switched on.`);
    case "EACCES":
    case "EPERM":
      return new PrinterError(
        "refused",
        `Not allowed to open ${path}: add the user running ShopFlow to the group lp (sudo usermod -aG lp USER), then restart ShopFlow.`,
      );
    case "EBUSY":
      return new PrinterError("refused", `${path} is in use by another program (CUPS, or a second ShopFlow): stop it or give ShopFlow its own printer.`);
    case "ENOSPC":
      return new PrinterError("paper_out", PAPER_OUT);
    case "EIO":
    case "EPIPE":
      return new PrinterError("io", `The printer on ${path} stopped answering: check the USB cable and power, then switch the printer off and on.`);
    default:
      return new PrinterError("io", `Could not print to ${path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export function usbLpTransport(options: UsbLpOptions): Transport {
  const { path, writeTimeoutMs = 5000, statusTimeoutMs = 800 } = options;
  const lane = oneAtATime();
  let closed = false;

  const stalled = (total: number) => (sent: number) =>
    new PrinterError("timeout", `The printer on ${path} stopped taking data (${sent} of ${total} bytes sent): check paper, cover and the error light.`);

  function checkOpen(): void {
    if (closed) throw new PrinterError("io", `The printer on ${path} was already closed.`);
  }

  return {
    description: `usb ${path}`,

    send: (bytes) =>
      lane(async () => {
        checkOpen();
        // one open per job: usblp allows one opener at a time, so holding it would lock out everything else
        const { fd } = openDevice(path);
        try {
          await writeAllToFd(fd, bytes, writeTimeoutMs, stalled(bytes.length));
        } catch (e) {
          throw usbError(e, path);
        } finally {
          closeSync(fd);
        }
      }),

    status: () =>
      lane(async (): Promise<PrinterStatus | null> => {
        checkOpen();
        let device: { fd: number; readable: boolean };
        try {
          device = openDevice(path);
        } catch (e) {
          const error = usbError(e, path);
          if (error.code === "offline" || error.code === "refused") return unreachableStatus(error.message);
          throw error;
        }
        const { fd, readable } = device;
        try {
          // a plain file or a FIFO standing in for the printer cannot answer: do not write requests into it
          if (!readable || !fstatSync(fd).isCharacterDevice()) return null;
          await writeAllToFd(fd, statusRequest, statusTimeoutMs, stalled(statusRequest.length));
          const replies = await readRepliesFromFd(fd, statusQueries.length, statusTimeoutMs);
          if (!replies || replies.length === 0) return null;
          return parseStatus(replies, { drawerOpenWhen: options.drawerOpenWhen });
        } catch (e) {
          // a printer busy enough not to take nine bytes cannot tell us more
          if (e instanceof PrinterError && e.code === "timeout") return null;
          throw usbError(e, path);
        } finally {
          closeSync(fd);
        }
      }),

    async close() {
      closed = true;
      await lane(async () => undefined);
    },
  };
}
