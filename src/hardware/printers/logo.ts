// PNG decoding for shop logos: a shop uploads its logo as a PNG; this turns it into the RGBA pixels the receipt
// renderer prints (see Logo in receipt-bytes.ts), and fitLogo scales it to the paper.
//
// The pixels come from fast-png. It trusts what a file says, and a logo upload is hostile input, so the file is
// checked here before fast-png sees it: the size in the header is checked before anything is allocated, and the
// image data is inflated once with a cap at what that size needs, so a small file cannot expand into gigabytes.
// fast-png is given only the chunks a logo needs: that drops, for one, colour profiles, which it inflates uncapped.
// Transparency (tRNS) is applied here, because fast-png refuses some valid ones (an RGB one on an image of 1 pixel).
// Whatever fast-png still throws becomes a PngError, so a bad upload is always a reason, never a crash.

import { crc32, inflateSync } from "node:zlib";
import { type DecodedPng, decode } from "fast-png";
import { Problem } from "../../domain/kernel/problem.ts";

/** A decoded image: `data` is width × height RGBA pixels, 8 bits per channel, rows top to bottom. */
export type RgbaImage = { width: number; height: number; data: Uint8ClampedArray };

/** Logos larger than this on either side are refused; a receipt is at most 576 dots wide anyway. */
export const MAX_LOGO_SIDE = 2000;

/** Why a logo upload cannot be used, worded for the shop manager who uploaded it. */
export class PngError extends Problem {
  override readonly name = "PngError";
  constructor(message: string) {
    super("logo_unusable", message);
  }
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Channels per pixel, by colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The bit depths each colour type allows. */
const DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Adam7's seven passes: first column, first row, column step, row step. Needed only to size the image data. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The chunks fast-png is given; every other one is left out (and refused if the image cannot be shown without it). */
const NEEDED = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);

type Header = { width: number; height: number; depth: number; colourType: number; interlaced: boolean };

function damaged(what: string): PngError {
  return new PngError(`damaged PNG: ${what}. Export the logo again as PNG and upload the new file.`);
}

/**
 * Decode a PNG file into 8-bit RGBA pixels. Throws PngError, with a message for the shop manager, when the bytes
 * are not a PNG, the image is over 2000×2000 pixels, or the file is damaged (bad CRC, cut short, bad data); it
 * throws nothing else, whatever the bytes. 16-bit samples are rounded to the nearest 8-bit value; ancillary chunks
 * (gamma, colour profiles, text) are ignored.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new PngError(`not a PNG file${sniff(bytes)}. Save the logo as PNG and upload that file.`);
  }
  try {
    const header = readHeader(bytes);
    const { needed, imageData, transparency } = pickChunks(bytes);
    checkImageData(imageData, header);
    return toRgba(decode(needed, { checkCrc: true }), header, transparency);
  } catch (e) {
    if (e instanceof PngError) throw e;
    // fast-png's own reasons are terse and technical; they go in brackets, for whoever helps the shop
    const reason = e instanceof Error ? e.message.replace(/\.$/, "") : String(e);
    throw damaged(`it cannot be read (${reason})`);
  }
}

/** The first chunk must be IHDR; its size is checked here, before anything is inflated or allocated. */
function readHeader(bytes: Uint8Array): Header {
  // signature (8), IHDR's length and name (8), its 13 bytes of fields, its CRC (4)
  if (bytes.length < 33) throw damaged("the file is cut short");
  if (chunkName(bytes, 12) !== "IHDR") throw damaged("the IHDR header chunk is not first");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13) throw damaged("the IHDR header chunk has a bad length");
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [depth, colourType, compression, filterMethod, interlace] = [bytes[24]!, bytes[25]!, bytes[26]!, bytes[27]!, bytes[28]!];
  if (width === 0 || height === 0) throw damaged("the image has no pixels");
  if (width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) {
    throw new PngError(
      `the logo is larger than ${MAX_LOGO_SIDE}×${MAX_LOGO_SIDE} pixels (it is ${width}×${height}). ` +
        `Scale it down, to about 600 pixels wide, and upload it again.`,
    );
  }
  const depths = DEPTHS[colourType];
  if (!depths) throw damaged(`colour type ${colourType} does not exist`);
  if (!depths.includes(depth)) throw damaged(`bit depth ${depth} is not allowed with colour type ${colourType}`);
  if (compression !== 0) throw damaged(`compression method ${compression} does not exist`);
  if (filterMethod !== 0) throw damaged(`filter method ${filterMethod} does not exist`);
  if (interlace > 1) throw damaged(`interlace method ${interlace} does not exist`);
  // fast-png 8.0.0 reads interlaced rows of 1-, 2- and 4-bit pixels wrongly, so these are refused, not misprinted
  if (interlace === 1 && depth < 8) {
    throw new PngError(
      `the logo is an interlaced PNG with ${depth}-bit colour, which cannot be read here. ` +
        `Save it again as PNG with interlacing turned off, and upload that file.`,
    );
  }
  return { width, height, depth, colourType, interlaced: interlace === 1 };
}

/**
 * Walk the chunks up to IEND, checking each one's CRC, and copy out a PNG of only the chunks fast-png needs, plus
 * the image data's pieces and the tRNS chunk's contents. Leaving the rest out means fast-png never sees a second
 * IHDR (which would replace the size checked above) or a chunk it would inflate without a cap.
 */
function pickChunks(bytes: Uint8Array): { needed: Uint8Array; imageData: Uint8Array[]; transparency: Uint8Array | null } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const needed: Uint8Array[] = [bytes.subarray(0, SIGNATURE.length)];
  const imageData: Uint8Array[] = [];
  let transparency: Uint8Array | null = null;
  let at = SIGNATURE.length;
  for (;;) {
    if (bytes.length - at < 12) throw damaged("the file is cut short");
    const length = view.getUint32(at);
    const name = chunkName(bytes, at + 4);
    if (!/^[A-Za-z]{4}$/.test(name)) throw damaged("a chunk has an invalid name");
    if (length > bytes.length - at - 12) throw damaged("the file is cut short");
    const chunk = bytes.subarray(at, at + 12 + length);
    if (crc32(chunk.subarray(4, 8 + length)) !== view.getUint32(at + 8 + length)) throw damaged(`the ${name} chunk fails its checksum`);
    const first = at === SIGNATURE.length;
    at += chunk.length;

    if (name === "tRNS") transparency = chunk.subarray(8, 8 + length);
    if (!NEEDED.has(name)) {
      // an uppercase first letter marks a chunk the image cannot be shown without
      if (name < "a") throw damaged(`it needs a "${name}" chunk this program does not understand`);
      continue;
    }
    if (name === "IHDR" && !first) throw damaged("there are two IHDR header chunks");
    // fast-png would use it anyway, but pixels cannot be read before their palette
    if (name === "PLTE" && imageData.length > 0) throw damaged("the palette comes after the image data");
    if (name === "IDAT") imageData.push(chunk.subarray(8, 8 + length));
    needed.push(chunk);
    if (name === "IEND") return { needed: concat(needed), imageData, transparency };
  }
}

/**
 * Inflate the image data with a cap at the size the header implies, and refuse it unless it comes out at exactly
 * that size. fast-png inflates the same data again without a cap, so only data that passed here may reach it.
 */
function checkImageData(parts: Uint8Array[], header: Header) {
  if (parts.every((p) => p.length === 0)) throw damaged("there is no image data");
  const expected = imageDataSize(header);
  let raw: Uint8Array;
  try {
    raw = inflateSync(concat(parts), { maxOutputLength: expected });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw damaged("it holds more image data than its size allows");
    }
    throw damaged("the image data is corrupt or cut short");
  }
  // fast-png would fill missing rows with black rather than say the file is short
  if (raw.length !== expected) throw damaged("the image data is cut short");
}

/** Bytes of inflated image data the header implies: each row of each pass is a filter byte and its packed pixels. */
function imageDataSize(h: Header): number {
  const bitsPerPixel = CHANNELS[h.colourType]! * h.depth;
  const rows = (w: number, n: number) => (w > 0 && n > 0 ? n * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!h.interlaced) return rows(h.width, h.height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy));
  return total;
}

/**
 * fast-png's samples (raw, at the file's bit depth) as 8-bit RGBA, with the palette and tRNS applied. Like browsers,
 * a tRNS of the wrong length is ignored rather than refusing a logo that shows fine elsewhere.
 */
function toRgba(png: DecodedPng, h: Header, trns: Uint8Array | null): RgbaImage {
  const { width, height, depth, colourType } = h;
  const channels = CHANNELS[colourType]!;
  const pixels = width * height;
  // below 8 bits fast-png leaves the rows packed, so they are spread out to one sample a pixel first
  const s = depth < 8 ? unpack(png.data, width, height, depth) : png.data;
  if (png.width !== width || png.height !== height || s.length !== pixels * channels) throw damaged("the image data does not match its size");
  // exact for 1, 2, 4 and 8 bits (255 / max is whole); 16 bits round to the nearest value
  const to8 = depth === 16 ? (v: number) => Math.round(v / 257) : (v: number) => v * (255 / (2 ** depth - 1));
  // grey and RGB: tRNS names the one colour that is see-through, as 16-bit raw samples
  const clear = trns?.length === channels * 2 ? Array.from({ length: channels }, (_, i) => (trns[i * 2]! << 8) | trns[i * 2 + 1]!) : null;

  const out = new Uint8ClampedArray(pixels * 4);
  switch (colourType) {
    case 0:
      for (let p = 0, o = 0; p < pixels; p++, o += 4) {
        const v = s[p]!;
        out.fill(to8(v), o, o + 3);
        out[o + 3] = clear !== null && clear[0] === v ? 0 : 255;
      }
      break;
    case 2:
      for (let p = 0, o = 0; p < pixels; p++, o += 4) {
        const [r, g, b] = [s[p * 3]!, s[p * 3 + 1]!, s[p * 3 + 2]!];
        out[o] = to8(r);
        out[o + 1] = to8(g);
        out[o + 2] = to8(b);
        out[o + 3] = clear !== null && clear[0] === r && clear[1] === g && clear[2] === b ? 0 : 255;
      }
      break;
    case 3: {
      if (!png.palette) throw damaged("the palette is missing");
      // 256 RGBA entries: those past the palette's end stay opaque black, which is how browsers show them, and
      // tRNS gives the alpha of the first entries
      const table = new Uint8Array(256 * 4);
      for (let i = 0; i < 256; i++) {
        const [r = 0, g = 0, b = 0] = png.palette[i] ?? [];
        table.set([r, g, b, i < png.palette.length ? (trns?.[i] ?? 255) : 255], i * 4);
      }
      for (let p = 0; p < pixels; p++) out.set(table.subarray(s[p]! * 4, s[p]! * 4 + 4), p * 4);
      break;
    }
    case 4:
      for (let p = 0, o = 0; p < pixels; p++, o += 4) {
        out.fill(to8(s[p * 2]!), o, o + 3);
        out[o + 3] = to8(s[p * 2 + 1]!);
      }
      break;
    default: // 6
      if (depth === 8) out.set(s);
      else for (let i = 0; i < s.length; i++) out[i] = to8(s[i]!);
  }
  return { width, height, data: out };
}

/** Packed rows of 1-, 2- or 4-bit samples (leftmost in the high bits, each row on whole bytes) to one byte each. */
function unpack(packed: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  if (packed.length !== rowBytes * height) throw damaged("the image data does not match its size");
  const max = 2 ** depth - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const bit = x * depth;
      out[p] = (packed[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & max;
    }
  }
  return out;
}

function chunkName(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Name the format when someone uploads a JPEG, GIF, … by mistake. */
function sniff(bytes: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return " (it is a JPEG)";
  if (starts(0x47, 0x49, 0x46, 0x38)) return " (it is a GIF)";
  if (starts(0x42, 0x4d)) return " (it is a BMP)";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) {
    return " (it is a WebP)";
  }
  if (starts(0x25, 0x50, 0x44, 0x46)) return " (it is a PDF)";
  if (starts(0x3c)) return " (it looks like SVG or HTML)";
  if (bytes.length === 0) return " (the file is empty)";
  return "";
}

/**
 * The logo as the printer gets it: scaled down to at most `maxWidth` pixels wide (keeping its aspect ratio) by
 * averaging each output pixel's area of the original, with transparency flattened onto white paper. A logo that
 * already fits keeps its size. The result is opaque (alpha 255 everywhere).
 */
export function fitLogo(img: RgbaImage, maxWidth: number): RgbaImage {
  const { width: sw, height: sh, data } = img;
  if (!Number.isInteger(sw) || !Number.isInteger(sh) || sw < 1 || sh < 1 || data.length !== sw * sh * 4) {
    throw new RangeError(`fitLogo: a ${sw}×${sh} image needs ${sw * sh * 4} bytes of RGBA, got ${data.length}`);
  }
  if (!(maxWidth >= 1)) throw new RangeError(`fitLogo: maxWidth must be at least 1, got ${maxWidth}`);
  const dw = Math.min(sw, Math.floor(maxWidth));
  const dh = dw === sw ? sh : Math.max(1, Math.round((sh * dw) / sw));

  // flattening first, then averaging, is the same as averaging premultiplied colour and then flattening: it is linear
  const flat = new Float64Array(sw * sh * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    const a = data[i + 3]! / 255;
    const white = 255 * (1 - a);
    flat[j] = data[i]! * a + white;
    flat[j + 1] = data[i + 1]! * a + white;
    flat[j + 2] = data[i + 2]! * a + white;
  }

  // rows first (sw → dw), then columns (sh → dh)
  const xs = boxWeights(sw, dw);
  const ys = boxWeights(sh, dh);
  const across = new Float64Array(dw * sh * 3);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < dw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [sx, wt] of xs[x]!) {
        const s = (y * sw + sx) * 3;
        r += flat[s]! * wt;
        g += flat[s + 1]! * wt;
        b += flat[s + 2]! * wt;
      }
      const d = (y * dw + x) * 3;
      across[d] = r;
      across[d + 1] = g;
      across[d + 2] = b;
    }
  }
  const out = new Uint8ClampedArray(dw * dh * 4);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [sy, wt] of ys[y]!) {
        const s = (sy * dw + x) * 3;
        r += across[s]! * wt;
        g += across[s + 1]! * wt;
        b += across[s + 2]! * wt;
      }
      const o = (y * dw + x) * 4;
      out[o] = Math.round(r);
      out[o + 1] = Math.round(g);
      out[o + 2] = Math.round(b);
      out[o + 3] = 255;
    }
  }
  return { width: dw, height: dh, data: out };
}

/**
 * For each of `to` output pixels, the source pixels of a `from`-pixel line it covers and their weights (the share of
 * the output pixel's span each covers; they sum to 1). Output pixel i spans source [i·from/to, (i+1)·from/to).
 */
function boxWeights(from: number, to: number): [number, number][][] {
  const scale = from / to;
  const all: [number, number][][] = [];
  for (let i = 0; i < to; i++) {
    const start = i * scale;
    const end = (i + 1) * scale;
    const taps: [number, number][] = [];
    for (let s = Math.floor(start); s < end && s < from; s++) {
      const cover = Math.min(end, s + 1) - Math.max(start, s);
      if (cover > 1e-12) taps.push([s, cover / scale]);
    }
    all.push(taps);
  }
  return all;
}
