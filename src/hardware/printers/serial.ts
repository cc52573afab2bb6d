// Serial receipt printers (/dev/ttyS*, /dev/ttyUSB*, /dev/serial/by-id/*): node:fs for the bytes, termios through
// bun:ffi for speed and flow control, because the npm `serialport` binding crashes under Bun (uv_poll_init).
import { dlopen, FFIType, read } from "bun:ffi";
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { parseStatus, type StatusOptions, statusQueries, statusRequest } from "./status.ts";
import { errnoCode, oneAtATime, PrinterError, type PrinterStatus, readRepliesFromFd, type Transport, unreachableStatus, writeAllToFd } from "./transport.ts";

export type SerialBaud = 9600 | 19200 | 38400 | 57600 | 115200;
export type SerialFlow = "none" | "rtscts" | "xonxoff";

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

// struct termios on x86_64 glibc (bits/termios-struct.h): four u32 flag words, c_line, c_cc[32], c_ispeed, c_ospeed.
const TERMIOS_SIZE = 60;
const C_IFLAG = 0;
const C_CFLAG = 8;
const C_CC = 17;
// values from /usr/include/x86_64-linux-gnu/bits/termios*.h (octal there)
const IXON = 0o2000;
const IXANY = 0o4000;
const IXOFF = 0o10000;
const CSTOPB = 0o100;
const CREAD = 0o200;
const CLOCAL = 0o4000;
const CRTSCTS = 0o20000000000;
const VMIN = 6;
const VTIME = 5;
const VSTART = 8;
const VSTOP = 9;
const TCSANOW = 0;
const TCIFLUSH = 0;
const TCOFLUSH = 1;
const TIOCOUTQ = 0x5411; // asm-generic/ioctls.h: bytes still waiting in the output queue

const speedCodes: Record<SerialBaud, number> = { 9600: 0o15, 19200: 0o16, 38400: 0o17, 57600: 0o10001, 115200: 0o10002 };
export const serialBauds = Object.keys(speedCodes).map(Number) as SerialBaud[];

export function isSerialBaud(n: number): n is SerialBaud {
  return Object.hasOwn(speedCodes, n);
}

const errnoNames: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  5: "EIO",
  6: "ENXIO",
  9: "EBADF",
  13: "EACCES",
  16: "EBUSY",
  19: "ENODEV",
  22: "EINVAL",
  25: "ENOTTY",
};

function openLibc() {
  return dlopen("libc.so.6", {
    tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    cfmakeraw: { args: [FFIType.ptr], returns: FFIType.void },
    cfsetspeed: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    cfgetospeed: { args: [FFIType.ptr], returns: FFIType.u32 },
    tcflush: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    // variadic in C; with an int and a pointer the x86_64 calling convention is the same
    ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  }).symbols;
}

let libcSymbols: ReturnType<typeof openLibc> | null = null;
/** Loaded on first use, so importing this module costs nothing where no serial printer is configured. */
function libc(): ReturnType<typeof openLibc> {
  libcSymbols ??= openLibc();
  return libcSymbols;
}

/** A failed libc call as a Node-style error, so it maps like any other. */
function libcError(call: string): Error & { code: string } {
  const where = libc().__errno_location();
  const errno = where ? read.i32(where, 0) : 0;
  const code = errnoNames[errno] ?? `errno ${errno}`;
  return Object.assign(new Error(`${call} failed: ${code}`), { code });
}

/** Raw 8N1 at `baud` with the chosen flow control, no echo, no line editing, no CR/LF translation. */
export function configurePort(fd: number, baud: SerialBaud, flow: SerialFlow): void {
  const c = libc();
  const termios = new Uint8Array(TERMIOS_SIZE);
  const view = new DataView(termios.buffer);
  if (c.tcgetattr(fd, termios) !== 0) throw libcError("tcgetattr");
  c.cfmakeraw(termios);
  let iflag = view.getUint32(C_IFLAG, true) & ~(IXON | IXOFF | IXANY);
  let cflag = (view.getUint32(C_CFLAG, true) | CLOCAL | CREAD) & ~CSTOPB & ~CRTSCTS;
  if (flow === "xonxoff") iflag |= IXON | IXOFF;
  if (flow === "rtscts") cflag |= CRTSCTS;
  view.setUint32(C_IFLAG, iflag >>> 0, true);
  view.setUint32(C_CFLAG, cflag >>> 0, true);
  termios[C_CC + VMIN] = 0; // reads return at once; the fd is non-blocking anyway
  termios[C_CC + VTIME] = 0;
  termios[C_CC + VSTART] = 0x11; // XON
  termios[C_CC + VSTOP] = 0x13; // XOFF
  if (c.cfsetspeed(termios, speedCodes[baud]) !== 0) throw libcError("cfsetspeed");
  if (c.tcsetattr(fd, TCSANOW, termios) !== 0) throw libcError("tcsetattr");
  // tcsetattr succeeds when any one change took: read back what matters
  const actual = new Uint8Array(TERMIOS_SIZE);
  if (c.tcgetattr(fd, actual) !== 0) throw libcError("tcgetattr");
  const actualCflag = new DataView(actual.buffer).getUint32(C_CFLAG, true);
  if (c.cfgetospeed(actual) !== speedCodes[baud]) throw Object.assign(new Error(`speed ${baud} not taken`), { code: "ESPEED" });
  if (flow === "rtscts" && (actualCflag & CRTSCTS) === 0) throw Object.assign(new Error("RTS/CTS not taken"), { code: "ERTSCTS" });
}

/** Bytes written but not yet sent down the wire; null where the driver cannot say. */
function outputQueued(fd: number): number | null {
  const count = new Int32Array(1);
  return libc().ioctl(fd, TIOCOUTQ, count) === 0 ? count[0]! : null;
}

/** The serial ports worth offering, stable /dev/serial/by-id names first. */
export function listSerialPorts(): string[] {
  const byNumber = (prefix: string) => (a: string, b: string) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length));
  const inDir = (dir: string, match: RegExp): string[] => {
    try {
      return readdirSync(dir).filter((n) => match.test(n));
    } catch {
      return [];
    }
  };
  const byId = inDir("/dev/serial/by-id", /./)
    .sort()
    .map((n) => `/dev/serial/by-id/${n}`);
  const usb = inDir("/dev", /^ttyUSB\d+$/).sort(byNumber("ttyUSB"));
  const acm = inDir("/dev", /^ttyACM\d+$/).sort(byNumber("ttyACM"));
  // PCs have ttyS0..31 whether or not a UART is fitted; sysfs says type 0 (unknown) for the missing ones
  const uarts = inDir("/dev", /^ttyS\d+$/)
    .sort(byNumber("ttyS"))
    .filter((n) => uartType(n) !== 0);
  return [...byId, ...[...usb, ...acm, ...uarts].map((n) => `/dev/${n}`)];
}

function uartType(name: string): number | null {
  const file = `/sys/class/tty/${name}/type`;
  if (!existsSync(file)) return null;
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return null;
  }
}

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
    // O_NOCTTY: a printer port must never become our controlling terminal; O_NONBLOCK: never wait for carrier
    const opened = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      configurePort(opened, baud, flow);
    } catch (e) {
      closeSync(opened);
      throw e;
    }
    fd = opened;
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
    if (failed || (queued !== null && queued > 0)) libc().tcflush(old, TCOFLUSH);
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
          libc().tcflush(p, TCIFLUSH); // stale bytes must not pass for replies
          await writeAllToFd(p, statusRequest, statusTimeoutMs, stalled(statusRequest.length));
          const replies = await readRepliesFromFd(p, statusQueries.length, statusTimeoutMs);
          if (!replies || replies.length === 0) return null; // transmit-only cable, or a printer that keeps quiet
          return parseStatus(replies, { drawerOpenWhen: options.drawerOpenWhen });
        } catch (e) {
          if (e instanceof PrinterError && e.code === "timeout") {
            libc().tcflush(p, TCOFLUSH); // a request nobody takes must not sit in front of the next job
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
