// PNG decoding for shop logos: a shop uploads its logo as a PNG; this turns it into the RGBA pixels the receipt
// renderer prints (see Logo in receipt-bytes.ts), and fitLogo scales it to the paper.
//
// The whole format is supported: non-interlaced and Adam7, bit depths 1/2/4/8/16, grey, RGB, palette (with tRNS),
// grey+alpha and RGBA, all five filters, any number of IDAT chunks. Every chunk's CRC is checked. The input is
// treated as hostile: the size in the header is checked before anything is allocated, and the decompressor may not
// produce one byte more than the header says the image needs, so a small file cannot expand into gigabytes.

import { inflateSync } from "node:zlib";
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

/** Adam7: for each pass, the first column and row it covers and the step between its columns and rows. */
const ADAM7 = [
  { x0: 0, y0: 0, dx: 8, dy: 8 },
  { x0: 4, y0: 0, dx: 8, dy: 8 },
  { x0: 0, y0: 4, dx: 4, dy: 8 },
  { x0: 2, y0: 0, dx: 4, dy: 4 },
  { x0: 0, y0: 2, dx: 2, dy: 4 },
  { x0: 1, y0: 0, dx: 2, dy: 2 },
  { x0: 0, y0: 1, dx: 1, dy: 2 },
] as const;
const WHOLE_IMAGE = [{ x0: 0, y0: 0, dx: 1, dy: 1 }] as const;

type Header = { width: number; height: number; depth: number; colourType: number; interlaced: boolean };

/** The palette as RGBA, 4 bytes an entry, with tRNS alpha applied (opaque where tRNS says nothing). */
type Palette = Uint8Array;

/** The one colour tRNS makes fully transparent in a grey or RGB image, as raw samples at the image's bit depth. */
type Transparent = readonly number[] | null;

function damaged(what: string): PngError {
  return new PngError(`damaged PNG: ${what}. Export the logo again as PNG and upload the new file.`);
}

/**
 * Decode a PNG file into 8-bit RGBA pixels. Throws PngError, with a message for the shop manager, when the bytes
 * are not a PNG, the image is over 2000×2000 pixels, or the file is damaged (bad CRC, cut short, bad data).
 * 16-bit samples are rounded to the nearest 8-bit value; ancillary chunks (gamma, colour profiles, text) are ignored.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new PngError(`not a PNG file${sniff(bytes)}. Save the logo as PNG and upload that file.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  let header: Header | null = null;
  let palette: Palette | null = null;
  let paletteSize = 0;
  let transparent: Transparent = null;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let ended = false;

  let pos = SIGNATURE.length;
  while (pos < bytes.length) {
    if (bytes.length - pos < 12) throw damaged("the file is cut short");
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged("a chunk has an invalid name");
    if (length > 0x7fffffff) throw damaged(`the ${type} chunk has an impossible length`);
    if (length > bytes.length - pos - 12) throw damaged("the file is cut short");
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    const stored = view.getUint32(pos + 8 + length);
    if (crc32(bytes, pos + 4, pos + 8 + length) !== stored) throw damaged(`the ${type} chunk fails its checksum`);
    pos += 12 + length;

    if (header === null && type !== "IHDR") throw damaged("the IHDR header chunk is not first");
    switch (type) {
      case "IHDR":
        if (header !== null) throw damaged("there are two IHDR header chunks");
        header = readHeader(data);
        break;
      case "PLTE": {
        if (length === 0 || length % 3 !== 0 || length > 256 * 3) throw damaged("the palette has a bad length");
        if (palette !== null) throw damaged("there are two palettes");
        if (idat.length > 0) throw damaged("the palette comes after the image data");
        paletteSize = length / 3;
        // entries past the chunk's end stay opaque black, which is how browsers show an index out of range
        palette = new Uint8Array(256 * 4);
        for (let i = 3; i < palette.length; i += 4) palette[i] = 255;
        for (let i = 0; i < paletteSize; i++) {
          palette[i * 4] = data[i * 3]!;
          palette[i * 4 + 1] = data[i * 3 + 1]!;
          palette[i * 4 + 2] = data[i * 3 + 2]!;
          palette[i * 4 + 3] = 255;
        }
        break;
      }
      case "tRNS":
        // like browsers, a malformed tRNS is ignored rather than refusing a logo that displays fine elsewhere
        if (header!.colourType === 3 && palette !== null) {
          const n = Math.min(length, paletteSize);
          for (let i = 0; i < n; i++) palette[i * 4 + 3] = data[i]!;
        } else if (header!.colourType === 0 && length === 2) {
          transparent = [(data[0]! << 8) | data[1]!];
        } else if (header!.colourType === 2 && length === 6) {
          transparent = [(data[0]! << 8) | data[1]!, (data[2]! << 8) | data[3]!, (data[4]! << 8) | data[5]!];
        }
        break;
      case "IDAT":
        idat.push(data);
        idatBytes += length;
        break;
      case "IEND":
        ended = true;
        break;
      default:
        // an uppercase first letter marks a chunk the image cannot be shown without
        if (type.charCodeAt(0) < 0x61) throw damaged(`it needs a "${type}" chunk this program does not understand`);
    }
    if (ended) break;
  }

  if (header === null) throw damaged("the file is cut short");
  if (!ended) throw damaged("the file is cut short (no end marker)");
  if (idatBytes === 0) throw damaged("there is no image data");
  if (header.colourType === 3 && palette === null) throw damaged("the palette is missing");

  const passes = header.interlaced ? ADAM7 : WHOLE_IMAGE;
  const bitsPerPixel = CHANNELS[header.colourType]! * header.depth;
  let expected = 0;
  for (const p of passes) {
    const [w, h] = passSize(header, p);
    if (w > 0 && h > 0) expected += h * (1 + Math.ceil((w * bitsPerPixel) / 8));
  }

  const compressed = idat.length === 1 ? idat[0]! : concat(idat, idatBytes);
  let raw: Uint8Array;
  try {
    raw = inflateSync(compressed, { maxOutputLength: expected });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw damaged("it holds more image data than its size allows");
    }
    throw damaged("the image data is corrupt or cut short");
  }
  if (raw.length !== expected) throw damaged("the image data is cut short");

  const out = new Uint8ClampedArray(header.width * header.height * 4);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  let offset = 0;
  for (const p of passes) {
    const [w, h] = passSize(header, p);
    if (w === 0 || h === 0) continue;
    const rowBytes = Math.ceil((w * bitsPerPixel) / 8);
    let prior = new Uint8Array(rowBytes);
    let row = new Uint8Array(rowBytes);
    for (let y = 0; y < h; y++) {
      const filter = raw[offset]!;
      unfilter(filter, raw.subarray(offset + 1, offset + 1 + rowBytes), prior, row, bpp);
      offset += 1 + rowBytes;
      writeRow(header, palette, transparent, row, w, out, p.y0 + y * p.dy, p.x0, p.dx);
      [prior, row] = [row, prior];
    }
  }
  return { width: header.width, height: header.height, data: out };
}

function readHeader(data: Uint8Array): Header {
  if (data.length !== 13) throw damaged("the IHDR header chunk has a bad length");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [depth, colourType, compression, filterMethod, interlace] = [data[8]!, data[9]!, data[10]!, data[11]!, data[12]!];
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
  return { width, height, depth, colourType, interlaced: interlace === 1 };
}

function passSize(h: Header, p: { x0: number; y0: number; dx: number; dy: number }): [number, number] {
  const w = h.width > p.x0 ? Math.ceil((h.width - p.x0) / p.dx) : 0;
  const ht = h.height > p.y0 ? Math.ceil((h.height - p.y0) / p.dy) : 0;
  return [w, ht];
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Undo one row's filter into `row`, given the previous row of the same pass (all zeros for the first). */
function unfilter(filter: number, src: Uint8Array, prior: Uint8Array, row: Uint8Array, bpp: number) {
  const n = src.length;
  switch (filter) {
    case 0:
      row.set(src);
      return;
    case 1: // Sub
      for (let i = 0; i < n; i++) row[i] = src[i]! + (i >= bpp ? row[i - bpp]! : 0);
      return;
    case 2: // Up
      for (let i = 0; i < n; i++) row[i] = src[i]! + prior[i]!;
      return;
    case 3: // Average
      for (let i = 0; i < n; i++) row[i] = src[i]! + (((i >= bpp ? row[i - bpp]! : 0) + prior[i]!) >> 1);
      return;
    case 4: // Paeth
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const b = prior[i]!;
        const c = i >= bpp ? prior[i - bpp]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        row[i] = src[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return;
    default:
      throw damaged(`a row uses filter type ${filter}, which does not exist`);
  }
}

/** Turn one unfiltered row of `w` pixels into RGBA at image row `y`, columns x0, x0+dx, … */
function writeRow(
  h: Header,
  palette: Palette | null,
  transparent: Transparent,
  row: Uint8Array,
  w: number,
  out: Uint8ClampedArray,
  y: number,
  x0: number,
  dx: number,
) {
  const { depth, colourType } = h;
  let o = (y * h.width + x0) * 4;
  const step = dx * 4;

  if (depth < 8) {
    // grey or palette, several pixels a byte, leftmost pixel in the high bits
    const perByte = 8 / depth;
    const mask = (1 << depth) - 1;
    const scale = 255 / mask;
    for (let x = 0; x < w; x++, o += step) {
      const shift = 8 - depth * ((x % perByte) + 1);
      const v = (row[Math.floor(x / perByte)]! >> shift) & mask;
      if (colourType === 3) {
        putPaletteEntry(palette!, v, out, o);
      } else {
        const g = v * scale;
        out[o] = g;
        out[o + 1] = g;
        out[o + 2] = g;
        out[o + 3] = transparent !== null && transparent[0] === v ? 0 : 255;
      }
    }
    return;
  }

  const channels = CHANNELS[colourType]!;
  const wide = depth === 16;
  const sample = wide ? (i: number) => (row[i * 2]! << 8) | row[i * 2 + 1]! : (i: number) => row[i]!;
  // 16 → 8 bits rounds to nearest: v × 255 / 65535 = v / 257
  const to8 = wide ? (v: number) => Math.round(v / 257) : (v: number) => v;

  for (let x = 0, s = 0; x < w; x++, o += step, s += channels) {
    switch (colourType) {
      case 0: {
        const v = sample(s);
        const g = to8(v);
        out[o] = g;
        out[o + 1] = g;
        out[o + 2] = g;
        out[o + 3] = transparent !== null && transparent[0] === v ? 0 : 255;
        break;
      }
      case 2: {
        const r = sample(s);
        const g = sample(s + 1);
        const b = sample(s + 2);
        out[o] = to8(r);
        out[o + 1] = to8(g);
        out[o + 2] = to8(b);
        out[o + 3] = transparent !== null && transparent[0] === r && transparent[1] === g && transparent[2] === b ? 0 : 255;
        break;
      }
      case 3:
        putPaletteEntry(palette!, sample(s), out, o);
        break;
      case 4: {
        const g = to8(sample(s));
        out[o] = g;
        out[o + 1] = g;
        out[o + 2] = g;
        out[o + 3] = to8(sample(s + 1));
        break;
      }
      default: // 6
        out[o] = to8(sample(s));
        out[o + 1] = to8(sample(s + 1));
        out[o + 2] = to8(sample(s + 2));
        out[o + 3] = to8(sample(s + 3));
    }
  }
}

/** Copy palette entry `index` (an index past the PLTE chunk's entries gives opaque black). */
function putPaletteEntry(palette: Palette, index: number, out: Uint8ClampedArray, o: number) {
  const p = index * 4;
  out[o] = palette[p]!;
  out[o + 1] = palette[p + 1]!;
  out[o + 2] = palette[p + 2]!;
  out[o + 3] = palette[p + 3]!;
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

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as PNG uses) of bytes[start, end). */
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
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
