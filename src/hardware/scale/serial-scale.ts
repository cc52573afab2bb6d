// A checkout scale on a serial port: ask for the weight ("W"), wait a bounded time for the answer, say what it means.
// The port is opened for each reading and closed after it, so a replugged adapter is found again at the next one.
import { closeSync, readSync } from "node:fs";
import type { DeviceRules } from "../printers/device-rules.ts";
import { errnoCode, oneAtATime, writeAllToFd } from "../printers/transport.ts";
import { discardInput, discardOutput, isSerialBaud, openSerialPort, outputQueued, serialBauds } from "../serial-port.ts";
import { firstReply, readingOf, type ScaleFraming, type ScaleReading, weightRequest } from "./protocol.ts";
import { openableScalePort } from "./scale-path.ts";

export type SerialScaleOptions = {
  path: string;
  /** As set on the scale; one of `serialBauds`. */
  baud?: number;
  framing?: ScaleFraming;
  /** Where a scale may be: the same rules as serial printers. */
  rules: DeviceRules;
  /** Longest wait for the whole answer after asking. */
  timeoutMs?: number;
};

export type Scale = {
  /** Where the scale is, for the back office, e.g. "serial /dev/ttyUSB0 9600 baud 7E1". */
  readonly description: string;
  /** One reading: never throws, never waits much longer than the timeout. */
  read(): Promise<ScaleReading>;
};

/** The longest answer a scale gives is a dozen bytes; more without a whole answer is something else on the line. */
const MOST_BYTES = 256;

export function serialScale(options: SerialScaleOptions): Scale {
  const { path, baud = 9600, framing = "7E1", rules, timeoutMs = 1500 } = options;
  // one question at a time on a line: a second would flush the first one's answer away
  const lane = oneAtATime();
  const noAnswer: ScaleReading = {
    ok: false,
    problem: "no_answer",
    message: `The scale on ${path} did not answer: check that it is switched on and its cable is plugged in.`,
  };

  async function readOnce(): Promise<ScaleReading> {
    const where = openableScalePort(path, rules);
    if ("refused" in where) return { ok: false, problem: "refused", message: where.refused };
    if (!isSerialBaud(baud)) {
      return {
        ok: false,
        problem: "refused",
        message: `${baud} baud is not supported for ${path}: use one of ${serialBauds.join(", ")}, as set on the scale.`,
      };
    }
    let fd: number;
    try {
      fd = openSerialPort(where.device, { baud });
    } catch (e) {
      return openFailure(e, path, baud);
    }
    try {
      discardInput(fd); // an answer nobody waited for must not pass for this one
      try {
        await writeAllToFd(fd, weightRequest(framing), timeoutMs, () => new Error("the scale takes no bytes"));
      } catch (e) {
        return errnoCode(e) ? openFailure(e, path, baud) : noAnswer;
      }
      return await answer(fd);
    } finally {
      const queued = outputQueued(fd);
      if (queued !== null && queued > 0) discardOutput(fd);
      closeSync(fd);
    }
  }

  async function answer(fd: number): Promise<ScaleReading> {
    const deadline = Date.now() + timeoutMs;
    const buffer = new Uint8Array(64);
    let got = new Uint8Array(0);
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (e) {
        const code = errnoCode(e);
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK") return openFailure(e, path, baud);
      }
      if (n > 0) {
        got = Uint8Array.of(...got, ...buffer.subarray(0, n));
        const found = firstReply(got);
        if (found) return readingOf(found.reply);
        if (got.length > MOST_BYTES) return readingOf({ kind: "unreadable", text: "" });
        continue;
      }
      if (Date.now() >= deadline) return noAnswer;
      await Bun.sleep(10);
    }
  }

  return {
    description: `serial ${path} ${baud} baud ${framing}`,
    read: () => lane(readOnce),
  };
}

/** A port that would not open (or broke while asking), in words for the cashier and a code for the till. */
function openFailure(e: unknown, path: string, baud: number): ScaleReading {
  const no = (message: string): ScaleReading => ({ ok: false, problem: "not_connected", message });
  const refused = (message: string): ScaleReading => ({ ok: false, problem: "refused", message });
  switch (errnoCode(e)) {
    case "ENOENT":
      return no(`No scale at ${path}: check that its cable or USB-serial adapter is plugged in.`);
    case "ENODEV":
    case "ENXIO":
    case "EIO":
      return no(`The serial port ${path} stopped working: check that the scale's USB-serial adapter is still plugged in.`);
    case "EACCES":
    case "EPERM":
      return refused(`Not allowed to open ${path}: add the user running ShopFlow to the group dialout, then restart ShopFlow.`);
    case "EBUSY":
      return refused(`${path} is in use by another program: stop it, or give the scale its own port.`);
    case "ENOTTY":
    case "EINVAL":
      return refused(`${path} is not a serial port: set the scale up again on the Devices page.`);
    case "ESPEED":
      return refused(`${path} does not accept ${baud} baud: use the speed set on the scale.`);
    default:
      return no(`Could not use the serial port ${path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}
