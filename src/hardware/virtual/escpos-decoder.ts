// Turns ESC/POS bytes back into what a printer would put on paper: the virtual printer shows receipts with it, tests assert on them.
// Known commands are parsed with their exact lengths; a command this decoder has never heard of throws,
// because silently skipping it would misread every byte after it.

import { ALIGN, type Alignment, BARCODES_A, BARCODES_B, DLE, ESC, ESC_SKIPPED, FS, FS_SKIPPED, GS, GS_SKIPPED, highHalf } from "./escpos-tables.ts";

export type DecodedEvent =
  | { type: "cut" }
  | { type: "pulse"; pin: 2 | 5 }
  | { type: "barcode"; symbology: string; data: string }
  | { type: "qrcode"; data: string }
  | { type: "image"; width: number; height: number }
  | { type: "codepage"; page: number }
  | { type: "bold"; on: boolean }
  | { type: "size"; width: number; height: number }
  | { type: "align"; value: Alignment };

export type Decoded = {
  /** Every printed line, decoded through the code page active for each byte. Blank feeds are "". */
  lines: string[];
  /** The width of each line in normal character cells: a double-width character counts 2. */
  widths: number[];
  events: DecodedEvent[];
  /** Text sent without a line feed after it: a printer holds it and prints nothing. */
  unprinted: string;
};

export class EscPosDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/** CODE128 data as sent to GS k 73 carries code set selectors ({A {B {C) and escapes; this is the data it encodes. */
export function code128Text(raw: Uint8Array): string {
  let out = "";
  let set: "A" | "B" | "C" = "B";
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x7b && i + 1 < raw.length) {
      const next = String.fromCharCode(raw[++i]!);
      if (next === "A" || next === "B" || next === "C") set = next;
      else if (next === "{") out += "{";
      // {S (shift) and {1..{4 (FNC) carry no text of their own
      continue;
    }
    out += set === "C" ? String(b).padStart(2, "0") : String.fromCharCode(b);
  }
  return out;
}

export function decodeEscPos(input: Uint8Array): Decoded {
  const bytes = input;
  const lines: string[] = [];
  const widths: number[] = [];
  const events: DecodedEvent[] = [];

  let text = "";
  let textWidth = 0;
  let page = 0;
  let kanji = false;
  let size = { width: 1, height: 1 };
  let qrData: string | null = null;
  // a column image (ESC *) strip is printed by the line feed after it; that feed is no text line
  let columnStrip = false;
  // consecutive image commands are one picture cut into chunks
  let afterImage = false;

  let i = 0;
  const need = (n: number, what: string) => {
    if (i + n > bytes.length) throw new EscPosDecodeError(`${what} is cut short`, i);
  };
  const byte = (k: number) => bytes[i + k]!;

  const printLine = () => {
    lines.push(text);
    widths.push(textWidth);
    text = "";
    textWidth = 0;
  };
  const flushIfText = () => {
    if (text.length > 0) printLine();
  };
  const setSize = (width: number, height: number) => {
    size = { width, height };
    events.push({ type: "size", width, height });
  };
  const addImage = (width: number, height: number) => {
    const last = events[events.length - 1];
    if (afterImage && last?.type === "image" && last.width === width) last.height += height;
    else events.push({ type: "image", width, height });
  };
  const reset = () => {
    text = "";
    textWidth = 0;
    page = 0;
    kanji = false;
    size = { width: 1, height: 1 };
  };
  const decodeChar = (b: number, at: number): string => {
    if (b < 0x80) return b === 0x7f && page === 0 ? "⌂" : String.fromCharCode(b);
    const high = highHalf(page);
    if (!high) throw new EscPosDecodeError(`code page ${page} (ESC t ${page}) is not known to the test decoder`, at);
    return high[b - 0x80]!;
  };

  const qrFunction = (params: Uint8Array) => {
    // cn (49: QR code), fn, then the function's own bytes; fn 80 stores the data, fn 81 prints it
    const fn = params[1];
    if (fn === 0x50) qrData = String.fromCharCode(...params.subarray(3));
    else if (fn === 0x51) {
      if (qrData === null) throw new EscPosDecodeError("QR code printed before any data was stored", i);
      events.push({ type: "qrcode", data: qrData });
    }
  };

  while (i < bytes.length) {
    const b = bytes[i]!;
    // whether this command continues a picture: an image chunk, or the feed that prints a column strip
    let image = false;

    if (b >= 0x20) {
      if (kanji && b >= 0x80) {
        need(2, "double-byte character");
        text += "\ufffd";
        textWidth += 2 * size.width;
        i += 2;
      } else {
        text += decodeChar(b, i);
        textWidth += size.width;
        i += 1;
      }
    } else if (b === 0x0a) {
      image = columnStrip && text.length === 0;
      if (!image) printLine();
      i += 1;
    } else if (b === 0x0d) {
      // carriage return: the line feed already moved to the start of the next line
      i += 1;
      image = afterImage && columnStrip;
    } else if (b === 0x09) {
      const cells = 8 - (textWidth % 8);
      text += " ".repeat(cells);
      textWidth += cells;
      i += 1;
    } else if (b === ESC) {
      need(2, "ESC command");
      const c = String.fromCharCode(byte(1));
      switch (c) {
        case "@":
          reset();
          i += 2;
          break;
        case "t": {
          need(3, "ESC t");
          page = byte(2);
          events.push({ type: "codepage", page });
          i += 3;
          break;
        }
        case "!": {
          need(3, "ESC !");
          const n = byte(2);
          events.push({ type: "bold", on: (n & 0x08) !== 0 });
          setSize(n & 0x20 ? 2 : 1, n & 0x10 ? 2 : 1);
          i += 3;
          break;
        }
        case "E": {
          need(3, "ESC E");
          events.push({ type: "bold", on: (byte(2) & 1) === 1 });
          i += 3;
          break;
        }
        case "a": {
          need(3, "ESC a");
          const value = ALIGN[byte(2)];
          if (!value) throw new EscPosDecodeError(`ESC a ${byte(2)} is no alignment`, i);
          events.push({ type: "align", value });
          i += 3;
          break;
        }
        case "d": {
          need(3, "ESC d");
          for (let n = byte(2); n > 0; n--) printLine();
          i += 3;
          break;
        }
        case "J": // print and feed n dots
          need(3, "ESC J");
          flushIfText();
          i += 3;
          break;
        case "p": {
          need(5, "ESC p");
          const m = byte(2);
          if (m !== 0 && m !== 1 && m !== 48 && m !== 49) throw new EscPosDecodeError(`ESC p ${m} names no drawer pin`, i);
          events.push({ type: "pulse", pin: m === 0 || m === 48 ? 2 : 5 });
          i += 5;
          break;
        }
        case "i": // partial cut, older printers
        case "m":
          flushIfText();
          events.push({ type: "cut" });
          i += 2;
          break;
        case "*": {
          need(5, "ESC *");
          const m = byte(2);
          const n = byte(3) + byte(4) * 256;
          const rows = m === 0 || m === 1 ? 8 : m === 32 || m === 33 ? 24 : 0;
          if (!rows) throw new EscPosDecodeError(`ESC * mode ${m} is not a bit image mode`, i);
          need(5 + n * (rows / 8), "ESC * image data");
          addImage(n, rows);
          i += 5 + n * (rows / 8);
          image = true;
          columnStrip = true;
          break;
        }
        case "D": {
          // horizontal tab positions, NUL-terminated
          let k = 2;
          while (i + k < bytes.length && bytes[i + k] !== 0) k++;
          need(k + 1, "ESC D");
          i += k + 1;
          break;
        }
        case "c": {
          need(4, "ESC c");
          const fn = String.fromCharCode(byte(2));
          if (!"345".includes(fn)) throw new EscPosDecodeError(`ESC c ${fn} is not known to the test decoder`, i);
          i += 4;
          break;
        }
        default: {
          // fixed-length commands that change nothing a test looks at
          const n = ESC_SKIPPED[c];
          if (n === undefined) throw new EscPosDecodeError(`ESC 0x${byte(1).toString(16)} is not known to the test decoder`, i);
          need(n, `ESC ${c}`);
          i += n;
        }
      }
    } else if (b === GS) {
      need(2, "GS command");
      const c = String.fromCharCode(byte(1));
      switch (c) {
        case "!": {
          need(3, "GS !");
          const n = byte(2);
          setSize(((n >> 4) & 7) + 1, (n & 7) + 1);
          i += 3;
          break;
        }
        case "V": {
          need(3, "GS V");
          const m = byte(2);
          flushIfText();
          if (m === 0 || m === 1 || m === 48 || m === 49) i += 3;
          else if (m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104) {
            need(4, "GS V with feed");
            i += 4;
          } else throw new EscPosDecodeError(`GS V ${m} is not a cut`, i);
          events.push({ type: "cut" });
          break;
        }
        case "k": {
          need(3, "GS k");
          const m = byte(2);
          let raw: Uint8Array;
          let symbology: string;
          if (BARCODES_A[m]) {
            let end = i + 3;
            while (end < bytes.length && bytes[end] !== 0) end++;
            if (end >= bytes.length) throw new EscPosDecodeError("GS k data has no NUL at its end", i);
            raw = bytes.subarray(i + 3, end);
            symbology = BARCODES_A[m]!;
            i = end + 1;
          } else if (BARCODES_B[m]) {
            need(4, "GS k");
            const n = byte(3);
            need(4 + n, "GS k data");
            raw = bytes.subarray(i + 4, i + 4 + n);
            symbology = BARCODES_B[m]!;
            i += 4 + n;
          } else throw new EscPosDecodeError(`GS k ${m} is not a barcode symbology`, i);
          const data = symbology === "code128" ? code128Text(raw) : String.fromCharCode(...raw);
          events.push({ type: "barcode", symbology, data });
          break;
        }
        case "(": {
          need(5, "GS (");
          const fn = String.fromCharCode(byte(2));
          const len = byte(3) + byte(4) * 256;
          need(5 + len, `GS ( ${fn}`);
          if (fn === "k" && len >= 2 && byte(5) === 49) qrFunction(bytes.subarray(i + 5, i + 5 + len));
          // every other GS ( function (PDF417, graphics, settings) is length-prefixed and skipped whole
          i += 5 + len;
          break;
        }
        case "8": {
          need(7, "GS 8");
          if (byte(2) !== 0x4c) throw new EscPosDecodeError(`GS 8 ${byte(2)} is not known to the test decoder`, i);
          const len = byte(3) + byte(4) * 256 + byte(5) * 65536 + byte(6) * 16777216;
          need(7 + len, "GS 8 L");
          i += 7 + len;
          break;
        }
        case "v": {
          need(8, "GS v 0");
          if (byte(2) !== 0x30) throw new EscPosDecodeError(`GS v ${byte(2)} is not known to the test decoder`, i);
          const x = byte(4) + byte(5) * 256;
          const y = byte(6) + byte(7) * 256;
          need(8 + x * y, "GS v 0 image data");
          addImage(x * 8, y);
          i += 8 + x * y;
          image = true;
          break;
        }
        case "*": {
          need(4, "GS *");
          const n = byte(2) * byte(3) * 8;
          need(4 + n, "GS * image data");
          i += 4 + n;
          break;
        }
        default: {
          const n = GS_SKIPPED[c];
          if (n === undefined) throw new EscPosDecodeError(`GS 0x${byte(1).toString(16)} is not known to the test decoder`, i);
          need(n, `GS ${c}`);
          i += n;
        }
      }
    } else if (b === FS) {
      need(2, "FS command");
      const c = String.fromCharCode(byte(1));
      switch (c) {
        case ".":
          kanji = false;
          i += 2;
          break;
        case "&":
          kanji = true;
          i += 2;
          break;
        case "(": {
          need(5, "FS (");
          const len = byte(3) + byte(4) * 256;
          need(5 + len, "FS (");
          i += 5 + len;
          break;
        }
        default: {
          const n = FS_SKIPPED[c];
          if (n === undefined) throw new EscPosDecodeError(`FS 0x${byte(1).toString(16)} is not known to the test decoder`, i);
          need(n, `FS ${c}`);
          i += n;
        }
      }
    } else if (b === DLE) {
      need(3, "DLE command");
      const c = byte(1);
      if (c === 0x04 || c === 0x05)
        i += 3; // status request, real-time request
      else if (c === 0x14) {
        const fn = byte(2);
        if (fn === 1) {
          need(5, "DLE DC4 1");
          events.push({ type: "pulse", pin: byte(3) === 0 ? 2 : 5 });
          i += 5;
        } else if (fn === 2) {
          need(5, "DLE DC4 2");
          i += 5;
        } else if (fn === 8) {
          need(10, "DLE DC4 8");
          i += 10;
        } else throw new EscPosDecodeError(`DLE DC4 ${fn} is not known to the test decoder`, i);
      } else throw new EscPosDecodeError(`DLE 0x${c.toString(16)} is not known to the test decoder`, i);
    } else if (b === 0x00 || b === 0x18) {
      // NUL is padding; CAN only cancels page-mode data
      i += 1;
    } else {
      throw new EscPosDecodeError(`control byte 0x${b.toString(16)} is not known to the test decoder`, i);
    }

    afterImage = image;
    if (!image) columnStrip = false;
  }

  return { lines, widths, events, unprinted: text };
}
