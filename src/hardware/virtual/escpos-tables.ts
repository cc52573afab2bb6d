// The ESC/POS decoder's lookup tables: command bytes, code pages, barcode symbologies, alignments and the lengths of commands it skips.

import iconv from "iconv-lite";

export type Alignment = "left" | "center" | "right";

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;

// The pages this decoder reads, by Epson's ESC t number. Each name is one both iconv-lite and the encoder package know.
const CODEPAGES: Record<number, string> = { 0: "cp437", 2: "cp850", 5: "cp865", 16: "windows1252", 19: "cp858", 40: "iso8859-15" };

/** The code page names this decoder can read, by their ESC t number. */
export const decoderCodepages: Record<number, string> = { ...CODEPAGES };

const HIGH_BYTES = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);
const highHalves = new Map<number, string[]>();

/** Bytes 0x80-0xFF of a page as characters, built on first use; undefined for a page not in CODEPAGES. */
export function highHalf(page: number): string[] | undefined {
  let high = highHalves.get(page);
  if (!high) {
    const name = CODEPAGES[page];
    if (name === undefined) return undefined;
    high = Array.from(iconv.decode(HIGH_BYTES, name));
    highHalves.set(page, high);
  }
  return high;
}

export const BARCODES_A: Record<number, string> = { 0: "upca", 1: "upce", 2: "ean13", 3: "ean8", 4: "code39", 5: "itf", 6: "codabar" };
export const BARCODES_B: Record<number, string> = {
  65: "upca",
  66: "upce",
  67: "ean13",
  68: "ean8",
  69: "code39",
  70: "itf",
  71: "codabar",
  72: "code93",
  73: "code128",
  74: "gs1-128",
  75: "gs1-databar-omni",
  76: "gs1-databar-truncated",
  77: "gs1-databar-limited",
  78: "gs1-databar-expanded",
  79: "code128-auto",
};

export const ALIGN: Record<number, Alignment> = { 0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right" };

/**
 * ESC commands of a fixed length, in bytes, that change nothing a test looks at: default line spacing; absolute and
 * relative print position; and one parameter byte for line spacing, international set, font, underline, italic, right
 * spacing, upside down, rotation, double strike, direction, peripheral, colour, reverse feed.
 */
export const ESC_SKIPPED: Readonly<Record<string, number>> = {
  "2": 2,
  $: 4,
  "\\": 4,
  "3": 3,
  R: 3,
  M: 3,
  "-": 3,
  "4": 3,
  " ": 3,
  "{": 3,
  V: 3,
  G: 3,
  U: 3,
  "=": 3,
  r: 3,
  e: 3,
  K: 3,
};

/**
 * GS commands of a fixed length, in bytes, that change nothing a test looks at. One parameter byte: invert, barcode
 * height, width, text position and font, smoothing, status, printer id, print downloaded image. Two parameter bytes:
 * motion units, left margin, print width, vertical positions.
 */
export const GS_SKIPPED: Readonly<Record<string, number>> = {
  B: 3,
  h: 3,
  w: 3,
  H: 3,
  f: 3,
  b: 3,
  a: 3,
  r: 3,
  I: 3,
  "/": 3,
  P: 4,
  L: 4,
  W: 4,
  $: 4,
  "\\": 4,
};

/** FS commands of a fixed length, in bytes, that change nothing a test looks at. */
export const FS_SKIPPED: Readonly<Record<string, number>> = { C: 3, "!": 3, "-": 3, W: 3, S: 4, p: 4 };
