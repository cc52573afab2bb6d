// A checkout scale in software: the far end of a socat pty pair that answers each "W" the store sends with the next
// of its scripted answers (the last one again once they run out), or keeps quiet. The test kills it in close().
import { realpathSync } from "node:fs";
import { openPtyPair } from "./pty.ts";

/** A steady weight as a Toledo 8213 scale sends it, e.g. weightFrame("00.742"). */
export const weightFrame = (text: string) => `\x02${text}\r`;
/** "No weight": STX "?" status byte CR, bits 5 and 6 always on. */
export const statusFrame = (s: { motion?: boolean; overCapacity?: boolean; underZero?: boolean; centreOfZero?: boolean }) =>
  `\x02?${String.fromCharCode(0x60 | (s.motion ? 1 : 0) | (s.overCapacity ? 2 : 0) | (s.underZero ? 4 : 0) | (s.centreOfZero ? 16 : 0))}\r`;

export type FakeScale = {
  /** The port the store opens: the pty's device under /dev/pts, as a scale's port lives under /dev. */
  path: string;
  /** How many times the store asked for the weight so far. */
  questions(): number;
  /** The bytes of those questions as they came down the line: 0x57 ("W"), or 0xd7 with a 7E1 parity bit. */
  asked(): number[];
  /** What the next questions get, in order; null keeps quiet. */
  answer(...frames: (string | null)[]): void;
  /** Send bytes down the line now, asked or not: a held answer, or the rest of one. */
  send(text: string): void;
  close(): Promise<void>;
};

export async function openFakeScale(...frames: (string | null)[]): Promise<FakeScale> {
  const pty = await openPtyPair();
  let script = frames.length > 0 ? frames : [null];
  let at = 0;
  let asked = 0;
  const send = (text: string) => pty.write(Uint8Array.from(text, (ch) => ch.charCodeAt(0)));
  const timer = setInterval(() => {
    const seen = pty.read().filter((b) => (b & 0x7f) === 0x57).length;
    for (; asked < seen; asked++) {
      const frame = script[Math.min(at, script.length - 1)] ?? null;
      at++;
      if (frame !== null) send(frame);
    }
  }, 5);
  return {
    path: realpathSync(pty.printerSide),
    questions: () => asked,
    asked: () => [...pty.read()].filter((b) => (b & 0x7f) === 0x57),
    answer(...next) {
      script = next.length > 0 ? next : [null];
      at = 0;
    },
    send,
    async close() {
      clearInterval(timer);
      await pty.close();
    },
  };
}
