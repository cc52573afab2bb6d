// A serial port (/dev/ttyS*, /dev/ttyUSB*, /dev/ttyACM*, /dev/serial/by-id/*) opened raw for a device that speaks
// bytes: receipt printers and checkout scales. node:fs carries the bytes; termios is set through bun:ffi because the
// npm `serialport` binding crashes under Bun (uv_poll_init).
import { dlopen, FFIType, read } from "bun:ffi";
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync } from "node:fs";

export type SerialBaud = 9600 | 19200 | 38400 | 57600 | 115200;
export type SerialFlow = "none" | "rtscts" | "xonxoff";

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
/** Loaded on first use, so importing this module costs nothing where no serial device is configured. */
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

/**
 * Raw 8N1 at `baud` with the chosen flow control, no echo, no line editing, no CR/LF translation. (A 7E1 device is
 * spoken to over 8N1 with the parity bit as bit 7: the same bits on the wire, and ptys refuse CS7.)
 */
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

/**
 * Open a serial port raw, non-blocking, never as our controlling terminal (O_NOCTTY) and without waiting for carrier
 * (O_NONBLOCK). Throws Node-style errors (ENOENT, EACCES, ENOTTY, ESPEED...) for the caller to put in its own words.
 */
export function openSerialPort(path: string, o: { baud: SerialBaud; flow?: SerialFlow }): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    configurePort(fd, o.baud, o.flow ?? "none");
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** Bytes written but not yet sent down the wire; null where the driver cannot say. */
export function outputQueued(fd: number): number | null {
  const count = new Int32Array(1);
  return libc().ioctl(fd, TIOCOUTQ, count) === 0 ? count[0]! : null;
}

/** Drop bytes received and not read yet: stale bytes must not pass for the answer to the next question. */
export function discardInput(fd: number): void {
  libc().tcflush(fd, TCIFLUSH);
}

/** Drop bytes written and not sent yet, so close() does not wait for a device that no longer takes them. */
export function discardOutput(fd: number): void {
  libc().tcflush(fd, TCOFLUSH);
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
