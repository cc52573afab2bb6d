// Logo PNG decoding, checked against PNGs built here by a small encoder of the test's own (every colour type, bit

// depth, filter, Adam7), against a screenshot PNG written by Chromium, and against damaged and hostile files.
import { describe, expect, test } from "bun:test";
import { deflateSync, crc32 as zlibCrc32 } from "node:zlib";
import { chromium } from "playwright-core";
import { seededRandom } from "../../domain/kernel/random.ts";
import { decodePng, fitLogo, MAX_LOGO_SIDE, PngError, type RgbaImage } from "./logo.ts";

// --- a small PNG encoder for the tests ---

type Spec = {
  width: number;
  height: number;
  colourType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** Per pixel, row by row, the raw samples at `depth` (a palette index for colour type 3). */
  pixels: number[][];
  interlaced?: boolean;
  /** RGB triples. */
  palette?: [number, number, number][];
  /** Colour type 3: alpha per palette entry; 0: [grey]; 2: [r, g, b], as raw samples. */
  trns?: number[];
  /** One filter type for every row, or (default) 0, 1, 2, 3, 4, 0, … row after row. */
  filter?: number;
  /** Split the zlib stream into IDAT chunks of this many bytes (default: one chunk). */
  idatSize?: number;
  /** Leave out the IEND chunk. */
  noEnd?: boolean;
};

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const SIG = [137, 80, 78, 71, 13, 10, 26, 10];

function chunk(type: string, data: Uint8Array | number[]): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) body[i] = type.charCodeAt(i);
  body.set(data, 4);
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(body, 4);
  v.setUint32(8 + data.length, zlibCrc32(body));
  return out;
}

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0): Uint8Array {
  return chunk("IHDR", [...be32(width), ...be32(height), depth, colourType, 0, 0, interlace]);
}

function file(...chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat([Uint8Array.from(SIG), ...chunks]));
}

/** One row of pixels as bytes: samples packed most significant bits first, 16-bit samples big-endian. */
function packRow(row: number[][], depth: number): number[] {
  const bytes: number[] = [];
  if (depth === 16) {
    for (const px of row) for (const s of px) bytes.push(s >> 8, s & 255);
  } else if (depth === 8) {
    for (const px of row) bytes.push(...px);
  } else {
    let acc = 0;
    let bits = 0;
    for (const px of row) {
      for (const s of px) {
        acc = (acc << depth) | s;
        bits += depth;
        if (bits === 8) {
          bytes.push(acc);
          acc = 0;
          bits = 0;
        }
      }
    }
    if (bits > 0) bytes.push(acc << (8 - bits));
  }
  return bytes;
}

/** PNG's Paeth predictor, written as the spec describes it. */
function paethPredictor(a: number, b: number, c: number): number {
  const estimate = a + b - c;
  const distances = [Math.abs(estimate - a), Math.abs(estimate - b), Math.abs(estimate - c)];
  const nearest = Math.min(...distances);
  return distances[0] === nearest ? a : distances[1] === nearest ? b : c;
}

function filterRow(type: number, cur: number[], prev: number[], bpp: number): number[] {
  return cur.map((x, i) => {
    const left = i >= bpp ? cur[i - bpp]! : 0;
    const up = prev[i] ?? 0;
    const upLeft = i >= bpp ? (prev[i - bpp] ?? 0) : 0;
    const predicted = [0, left, up, Math.floor((left + up) / 2), paethPredictor(left, up, upLeft)][type]!;
    return (x - predicted + 256) % 256;
  });
}

const PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function encodePng(spec: Spec): Uint8Array {
  const { width, height, depth, colourType } = spec;
  const channels = CHANNELS[colourType];
  const bpp = Math.max(1, (channels * depth) / 8);
  // each pass is a small image of its own: the pixels it covers, row by row
  const passes: number[][][][] = [];
  for (const [x0, y0, dx, dy] of spec.interlaced ? PASSES : [[0, 0, 1, 1] as const]) {
    const rows: number[][][] = [];
    for (let y = y0; y < height; y += dy) {
      const row: number[][] = [];
      for (let x = x0; x < width; x += dx) row.push(spec.pixels[y * width + x]!);
      if (row.length > 0) rows.push(row);
    }
    passes.push(rows);
  }
  const raw: number[] = [];
  let rowCount = 0;
  for (const rows of passes) {
    let prev: number[] = [];
    for (const row of rows) {
      const bytes = packRow(row, depth);
      const type = spec.filter ?? rowCount % 5;
      rowCount++;
      raw.push(type, ...filterRow(type, bytes, prev, bpp));
      prev = bytes;
    }
  }
  const z = deflateSync(Uint8Array.from(raw));
  const chunks = [ihdr(width, height, depth, colourType, spec.interlaced ? 1 : 0)];
  if (spec.palette) chunks.push(chunk("PLTE", spec.palette.flat()));
  if (spec.trns) {
    const t = colourType === 3 ? spec.trns : spec.trns.flatMap((s) => [s >> 8, s & 255]);
    chunks.push(chunk("tRNS", t));
  }
  const size = spec.idatSize ?? z.length;
  for (let at = 0; at < z.length; at += size) chunks.push(chunk("IDAT", z.subarray(at, at + size)));
  if (!spec.noEnd) chunks.push(chunk("IEND", []));
  return file(...chunks);
}

/** What decodePng should give for a spec, worked out straight from the samples. */
function expectedRgba(spec: Spec): number[] {
  const max = 2 ** spec.depth - 1;
  const to8 = (v: number) => Math.round((v * 255) / max);
  const out: number[] = [];
  for (const px of spec.pixels) {
    const t = spec.trns;
    switch (spec.colourType) {
      case 0:
        out.push(to8(px[0]!), to8(px[0]!), to8(px[0]!), t && t[0] === px[0] ? 0 : 255);
        break;
      case 2: {
        const clear = t?.every((s, i) => s === px[i]);
        out.push(to8(px[0]!), to8(px[1]!), to8(px[2]!), clear ? 0 : 255);
        break;
      }
      case 3: {
        const [r, g, b] = spec.palette![px[0]!]!;
        out.push(r, g, b, t?.[px[0]!] ?? 255);
        break;
      }
      case 4:
        out.push(to8(px[0]!), to8(px[0]!), to8(px[0]!), to8(px[1]!));
        break;
      case 6:
        out.push(...px.map(to8));
    }
  }
  return out;
}

const random = seededRandom;

function randomSpec(colourType: Spec["colourType"], depth: Spec["depth"], width: number, height: number, seed: number): Spec {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const max = 2 ** depth;
  const spec: Spec = { width, height, colourType, depth, pixels: [] };
  if (colourType === 3) {
    const entries = Math.min(max, 5 + int(20));
    spec.palette = Array.from({ length: entries }, () => [int(256), int(256), int(256)] as [number, number, number]);
    spec.trns = Array.from({ length: Math.min(entries, 3) }, () => int(256));
    for (let i = 0; i < width * height; i++) spec.pixels.push([int(entries)]);
  } else {
    for (let i = 0; i < width * height; i++) spec.pixels.push(Array.from({ length: CHANNELS[colourType] }, () => int(max)));
    // a transparent colour that some pixels really have
    if (colourType === 0 || colourType === 2) spec.trns = [...spec.pixels[int(width * height)]!];
  }
  return spec;
}

function pixelAt(img: RgbaImage, x: number, y: number): number[] {
  const o = (y * img.width + x) * 4;
  return [...img.data.subarray(o, o + 4)];
}

function pngError(f: () => unknown): PngError {
  try {
    f();
  } catch (e) {
    if (e instanceof PngError) return e;
    throw new Error(`expected a PngError, got ${String(e)}`);
  }
  throw new Error("expected a PngError, but it decoded");
}

const COMBINATIONS: [Spec["colourType"], Spec["depth"]][] = [
  [0, 1],
  [0, 2],
  [0, 4],
  [0, 8],
  [0, 16],
  [2, 8],
  [2, 16],
  [3, 1],
  [3, 2],
  [3, 4],
  [3, 8],
  [4, 8],
  [4, 16],
  [6, 8],
  [6, 16],
];
const NAMES = { 0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA" } as const;
// sizes chosen so that Adam7 has empty passes (1×1, 3×2), and rows that end mid-byte at low bit depths
const SIZES: [number, number][] = [
  [1, 1],
  [3, 2],
  [5, 9],
  [13, 7],
  [33, 17],
];

// --- decoding ---

describe("decodePng: every colour type and bit depth", () => {
  for (const [colourType, depth] of COMBINATIONS) {
    for (const interlaced of [false, true]) {
      test(`${NAMES[colourType]}, ${depth}-bit, ${interlaced ? "Adam7" : "not interlaced"}`, () => {
        for (const [w, h] of SIZES) {
          const spec = { ...randomSpec(colourType, depth, w, h, w * 1000 + h * 10 + colourType + depth), interlaced };
          const img = decodePng(encodePng(spec));
          expect(img.width).toBe(w);
          expect(img.height).toBe(h);
          expect(img.data).toBeInstanceOf(Uint8ClampedArray);
          expect([...img.data]).toEqual(expectedRgba(spec));
        }
      });
    }
  }
});

describe("decodePng: filters", () => {
  // bytes per pixel for the filters: 1 (sub-byte and 8-bit grey), 2, 3, 4, 6 and 8
  const kinds: [Spec["colourType"], Spec["depth"]][] = [
    [0, 2],
    [0, 8],
    [0, 16],
    [2, 8],
    [6, 8],
    [2, 16],
    [6, 16],
  ];
  for (const filter of [0, 1, 2, 3, 4]) {
    test(`filter type ${filter} on every row, 1 to 8 bytes a pixel, interlaced and not`, () => {
      for (const [colourType, depth] of kinds) {
        for (const interlaced of [false, true]) {
          const spec = { ...randomSpec(colourType, depth, 11, 6, filter * 97 + depth + colourType), filter, interlaced };
          expect([...decodePng(encodePng(spec)).data]).toEqual(expectedRgba(spec));
        }
      }
    });
  }

  test("a row with filter type 5 is refused as damaged", () => {
    const z = deflateSync(Uint8Array.from([5, 10, 20]));
    const e = pngError(() => decodePng(file(ihdr(2, 1, 8, 0), chunk("IDAT", z), chunk("IEND", []))));
    expect(e.message).toStartWith("damaged PNG: ");
    expect(e.message).toContain("filter type 5");
  });
});

describe("decodePng: known pixels", () => {
  test("1-bit grey is black and white; a row ends mid-byte", () => {
    const spec: Spec = { width: 3, height: 2, colourType: 0, depth: 1, pixels: [[0], [1], [0], [1], [1], [0]], filter: 0 };
    const png = encodePng(spec);
    const img = decodePng(png);
    expect([...img.data]).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
  });

  test("2- and 4-bit grey spread over 0-255", () => {
    const two = decodePng(encodePng({ width: 4, height: 1, colourType: 0, depth: 2, pixels: [[0], [1], [2], [3]] }));
    expect([0, 1, 2, 3].map((x) => pixelAt(two, x, 0)[0])).toEqual([0, 85, 170, 255]);
    const four = decodePng(encodePng({ width: 3, height: 1, colourType: 0, depth: 4, pixels: [[0], [7], [15]] }));
    expect([0, 1, 2].map((x) => pixelAt(four, x, 0)[0])).toEqual([0, 119, 255]);
  });

  test("16-bit samples round to the nearest 8-bit value", () => {
    const img = decodePng(
      encodePng({
        width: 2,
        height: 1,
        colourType: 6,
        depth: 16,
        pixels: [
          [0xffff, 0x8000, 0x0080, 0x007f],
          [0x1234, 0x0000, 0xfeff, 0x8080],
        ],
      }),
    );
    expect(pixelAt(img, 0, 0)).toEqual([255, 128, 0, 0]);
    expect(pixelAt(img, 1, 0)).toEqual([18, 0, 254, 128]);
  });

  test("a palette with tRNS: listed entries get their alpha, the rest stay opaque", () => {
    const img = decodePng(
      encodePng({
        width: 4,
        height: 1,
        colourType: 3,
        depth: 2,
        palette: [
          [255, 0, 0],
          [0, 255, 0],
          [0, 0, 255],
          [10, 20, 30],
        ],
        trns: [0, 128],
        pixels: [[0], [1], [2], [3]],
      }),
    );
    expect([...img.data]).toEqual([255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 255]);
  });

  test("tRNS on grey and RGB makes exactly that colour transparent, compared at full 16-bit precision", () => {
    const grey = decodePng(encodePng({ width: 2, height: 1, colourType: 0, depth: 16, pixels: [[0x1234], [0x1235]], trns: [0x1234] }));
    expect(pixelAt(grey, 0, 0)).toEqual([18, 18, 18, 0]);
    expect(pixelAt(grey, 1, 0)).toEqual([18, 18, 18, 255]);
    const rgb = decodePng(
      encodePng({
        width: 2,
        height: 1,
        colourType: 2,
        depth: 8,
        pixels: [
          [1, 2, 3],
          [1, 2, 4],
        ],
        trns: [1, 2, 3],
      }),
    );
    expect(pixelAt(rgb, 0, 0)).toEqual([1, 2, 3, 0]);
    expect(pixelAt(rgb, 1, 0)).toEqual([1, 2, 4, 255]);
    const low = decodePng(encodePng({ width: 2, height: 1, colourType: 0, depth: 4, pixels: [[3], [4]], trns: [3] }));
    expect(pixelAt(low, 0, 0)).toEqual([51, 51, 51, 0]);
    expect(pixelAt(low, 1, 0)).toEqual([68, 68, 68, 255]);
  });

  test("a palette index past the palette's end comes out opaque black", () => {
    const img = decodePng(encodePng({ width: 2, height: 1, colourType: 3, depth: 8, palette: [[9, 9, 9]], pixels: [[0], [200]] }));
    expect([...img.data]).toEqual([9, 9, 9, 255, 0, 0, 0, 255]);
  });

  test("Adam7 and non-interlaced files of the same picture decode to the same pixels", () => {
    const spec = randomSpec(6, 8, 37, 29, 42);
    const flat = decodePng(encodePng(spec));
    const adam7 = decodePng(encodePng({ ...spec, interlaced: true }));
    expect([...adam7.data]).toEqual([...flat.data]);
  });

  test("the image data split over many IDAT chunks, down to one byte each, and empty IDATs in between", () => {
    const spec = randomSpec(2, 8, 20, 10, 7);
    for (const idatSize of [1, 2, 7, 64]) {
      expect([...decodePng(encodePng({ ...spec, idatSize })).data]).toEqual(expectedRgba(spec));
    }
    const z = deflateSync(Uint8Array.from([0, 1, 2, 3]));
    const img = decodePng(
      file(ihdr(1, 1, 8, 2), chunk("IDAT", []), chunk("IDAT", z.subarray(0, 5)), chunk("IDAT", []), chunk("IDAT", z.subarray(5)), chunk("IEND", [])),
    );
    expect([...img.data]).toEqual([1, 2, 3, 255]);
  });

  test("ancillary chunks are skipped, a suggested palette on RGB is ignored, and nothing after IEND is read", () => {
    const z = deflateSync(Uint8Array.from([0, 40, 50, 60]));
    const text = new TextEncoder().encode("Software\0Tests");
    const img = decodePng(
      file(
        ihdr(1, 1, 8, 2),
        chunk("tEXt", text),
        chunk("gAMA", be32(45455)),
        chunk("PLTE", [1, 2, 3]),
        chunk("IDAT", z),
        chunk("IEND", []),
        Uint8Array.from([1, 2, 3, 4, 5]),
      ),
    );
    expect([...img.data]).toEqual([40, 50, 60, 255]);
  });

  test("the input may be a view into a larger buffer", () => {
    const png = encodePng(randomSpec(0, 8, 3, 3, 1));
    const big = new Uint8Array(png.length + 10);
    big.set(png, 5);
    expect([...decodePng(big.subarray(5, 5 + png.length)).data]).toEqual([...decodePng(png).data]);
  });

  test("the largest allowed sides decode", () => {
    for (const [w, h] of [
      [MAX_LOGO_SIDE, 1],
      [1, MAX_LOGO_SIDE],
    ] as const) {
      const spec: Spec = { width: w, height: h, colourType: 0, depth: 1, pixels: Array.from({ length: w * h }, (_, i) => [i % 2]) };
      const img = decodePng(encodePng(spec));
      expect([img.width, img.height]).toEqual([w, h]);
      expect(pixelAt(img, w - 1, h - 1)).toEqual([255, 255, 255, 255]);
    }
  });
});

describe("decodePng: a PNG written by Chromium", () => {
  test("a screenshot of coloured boxes, with a transparent background", async () => {
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    let png: Uint8Array;
    try {
      const page = await browser.newPage({ viewport: { width: 200, height: 100 }, deviceScaleFactor: 1 });
      await page.setContent(
        `<body style="margin:0"><div id="logo" style="display:flex;width:60px;height:20px">` +
          `<div style="width:20px;background:#ff0000"></div><div style="width:20px;background:#0000ff"></div>` +
          `<div style="width:20px;background:rgb(0,128,0)"></div></div>` +
          `<div id="clear" style="width:30px;height:10px"><div style="width:10px;height:10px;background:#ffff00"></div></div></body>`,
      );
      png = await page.locator("#logo").screenshot({ type: "png" });
      const clear = await page.locator("#clear").screenshot({ type: "png", omitBackground: true });
      const img = decodePng(clear);
      expect([img.width, img.height]).toEqual([30, 10]);
      expect(pixelAt(img, 5, 5)).toEqual([255, 255, 0, 255]);
      expect(pixelAt(img, 25, 5)[3]).toBe(0);
    } finally {
      await browser.close();
    }
    expect([...png.subarray(12, 16)].map((c) => String.fromCharCode(c)).join("")).toBe("IHDR");
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([60, 20]);
    expect(pixelAt(img, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(img, 10, 10)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(img, 30, 19)).toEqual([0, 0, 255, 255]);
    expect(pixelAt(img, 59, 5)).toEqual([0, 128, 0, 255]);
  });
});

// --- bad and hostile input ---

describe("decodePng: bad input is a PngError a shop manager can act on", () => {
  const good = encodePng(randomSpec(6, 8, 8, 8, 3));

  test("wrong signature: not a PNG file, naming the format when it is a common one", () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0]);
    expect(pngError(() => decodePng(jpeg)).message).toStartWith("not a PNG file (it is a JPEG)");
    const gif = new TextEncoder().encode("GIF89a......");
    expect(pngError(() => decodePng(gif)).message).toStartWith("not a PNG file (it is a GIF)");
    expect(pngError(() => decodePng(new TextEncoder().encode("hello, world"))).message).toStartWith("not a PNG file");
    expect(pngError(() => decodePng(new Uint8Array(0))).message).toStartWith("not a PNG file");
    const nearly = good.slice();
    nearly[1] = 0x51; // "\x89QNG"
    expect(pngError(() => decodePng(nearly)).message).toStartWith("not a PNG file");
  });

  test("a corrupt CRC, or a changed byte that the CRC catches, is a damaged PNG", () => {
    const badCrc = good.slice();
    badCrc[good.length - 1]! ^= 1; // IEND's CRC
    expect(pngError(() => decodePng(badCrc)).message).toStartWith("damaged PNG: the IEND chunk fails its checksum");
    const badData = good.slice();
    badData[8 + 12 + 13 + 8 + 3]! ^= 0x40; // inside the IDAT data
    expect(pngError(() => decodePng(badData)).message).toStartWith("damaged PNG: the IDAT chunk fails its checksum");
    const badHeader = good.slice();
    badHeader[8 + 8 + 3]! ^= 2; // the width in IHDR
    expect(pngError(() => decodePng(badHeader)).message).toStartWith("damaged PNG: the IHDR chunk fails its checksum");
  });

  test("a file cut short at any length is refused", () => {
    for (let n = 0; n < good.length; n++) {
      const e = pngError(() => decodePng(good.subarray(0, n)));
      expect(e.message).toMatch(n < 8 ? /^not a PNG file/ : /^damaged PNG: /);
    }
  });

  test("image data that ends early, or a missing IEND, is refused", () => {
    const z = deflateSync(Uint8Array.from([0, 1, 2, 3]));
    const short = file(ihdr(2, 1, 8, 2), chunk("IDAT", z), chunk("IEND", []));
    expect(pngError(() => decodePng(short)).message).toStartWith("damaged PNG: the image data is cut short");
    const cutStream = file(ihdr(1, 1, 8, 2), chunk("IDAT", z.subarray(0, z.length - 3)), chunk("IEND", []));
    expect(pngError(() => decodePng(cutStream)).message).toStartWith("damaged PNG: the image data is corrupt");
    const noEnd = encodePng({ ...randomSpec(0, 8, 2, 2, 1), noEnd: true });
    expect(pngError(() => decodePng(noEnd)).message).toStartWith("damaged PNG: the file is cut short");
  });

  test("a 100000×100000 header is refused at once, before any image data is read or memory allocated", () => {
    const bomb = deflateSync(new Uint8Array(50_000_000));
    const started = performance.now();
    const e = pngError(() => decodePng(file(ihdr(100_000, 100_000, 8, 6), chunk("IDAT", bomb), chunk("IEND", []))));
    expect(performance.now() - started).toBeLessThan(50);
    expect(e.message).toStartWith(`the logo is larger than 2000×2000 pixels (it is 100000×100000)`);
    for (const [w, h] of [
      [2001, 1],
      [1, 2001],
      [0xffffffff, 0xffffffff],
    ]) {
      expect(pngError(() => decodePng(file(ihdr(w!, h!, 8, 0)))).message).toStartWith("the logo is larger than 2000×2000 pixels");
    }
  });

  test("a small file whose data inflates far past the image size stops at the size and is refused", () => {
    const bomb = deflateSync(new Uint8Array(100_000_000));
    expect(bomb.length).toBeLessThan(200_000);
    const started = performance.now();
    const e = pngError(() => decodePng(file(ihdr(10, 10, 8, 0), chunk("IDAT", bomb), chunk("IEND", []))));
    expect(performance.now() - started).toBeLessThan(200);
    expect(e.message).toStartWith("damaged PNG: it holds more image data than its size allows");
  });

  test("a chunk length larger than the file is refused without reading past it", () => {
    const png = good.slice();
    new DataView(png.buffer).setUint32(33, 0x7ffffff0); // the first IDAT's length
    expect(pngError(() => decodePng(png)).message).toStartWith("damaged PNG: the file is cut short");
    new DataView(png.buffer).setUint32(33, 0xfffffff0);
    expect(pngError(() => decodePng(png)).message).toStartWith("damaged PNG: the IDAT chunk has an impossible length");
  });

  test("broken structure: bad header fields, chunks out of order, palette missing", () => {
    const z = deflateSync(Uint8Array.from([0, 0]));
    const idat = chunk("IDAT", z);
    const end = chunk("IEND", []);
    const cases: [Uint8Array, string][] = [
      [file(ihdr(1, 1, 16, 3), idat, end), "bit depth 16 is not allowed with colour type 3"],
      [file(ihdr(1, 1, 4, 2), idat, end), "bit depth 4 is not allowed with colour type 2"],
      [file(ihdr(1, 1, 8, 5), idat, end), "colour type 5 does not exist"],
      [file(ihdr(1, 1, 8, 0, 2), idat, end), "interlace method 2 does not exist"],
      [file(ihdr(0, 1, 8, 0), idat, end), "the image has no pixels"],
      [file(chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0]), idat, end), "the IHDR header chunk has a bad length"],
      [file(chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 1, 0, 0]), idat, end), "compression method 1 does not exist"],
      [file(chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 1, 0]), idat, end), "filter method 1 does not exist"],
      [file(idat, ihdr(1, 1, 8, 0), end), "the IHDR header chunk is not first"],
      [file(ihdr(1, 1, 8, 0), ihdr(1, 1, 8, 0), idat, end), "there are two IHDR header chunks"],
      [file(ihdr(1, 1, 8, 3), idat, end), "the palette is missing"],
      [file(ihdr(1, 1, 8, 3), chunk("PLTE", [1, 2]), idat, end), "the palette has a bad length"],
      [file(ihdr(1, 1, 8, 3), idat, chunk("PLTE", [1, 2, 3]), end), "the palette comes after the image data"],
      [file(ihdr(1, 1, 8, 0), end), "there is no image data"],
      [file(ihdr(1, 1, 8, 0), chunk("ABCD", [1]), idat, end), `it needs a "ABCD" chunk`],
      [file(ihdr(1, 1, 8, 0), chunk("a1cd", [1]), idat, end), "a chunk has an invalid name"],
      [file(ihdr(1, 1, 8, 0), chunk("IDAT", [1, 2, 3, 4]), end), "the image data is corrupt or cut short"],
      [file(ihdr(1, 1, 8, 0)), "the file is cut short"],
    ];
    for (const [png, what] of cases) {
      const e = pngError(() => decodePng(png));
      expect(e.message).toStartWith(`damaged PNG: ${what}`);
      expect(e.name).toBe("PngError");
      expect(e).toBeInstanceOf(Error);
    }
  });

  test("random damage never gets through as anything but a PngError or a correct-sized image", () => {
    const rnd = random(2024);
    const sources = [good, encodePng({ ...randomSpec(3, 4, 9, 9, 5), interlaced: true }), encodePng(randomSpec(0, 16, 7, 3, 6))];
    for (let i = 0; i < 3000; i++) {
      const src = sources[i % sources.length]!;
      const png = src.slice();
      const hits = 1 + Math.floor(rnd() * 4);
      for (let h = 0; h < hits; h++) png[Math.floor(rnd() * png.length)] = Math.floor(rnd() * 256);
      // half the time, repair every CRC so the damage reaches the header checks, the inflater and the unfilter
      if (i % 2 === 0) fixCrcs(png);
      try {
        const img = decodePng(png);
        expect(img.data.length).toBe(img.width * img.height * 4);
      } catch (e) {
        if (!(e instanceof PngError)) throw e;
      }
    }
  });
});

/** Rewrite every chunk's CRC to match its (changed) contents, as far as the chunk layout still holds. */
function fixCrcs(png: Uint8Array) {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at + 12 <= png.length) {
    const len = v.getUint32(at);
    if (len > png.length - at - 12) return;
    v.setUint32(at + 8 + len, zlibCrc32(png.subarray(at + 4, at + 8 + len)));
    at += 12 + len;
  }
}

// --- fitting the logo to the paper ---

function image(width: number, height: number, rgba: number[]): RgbaImage {
  return { width, height, data: Uint8ClampedArray.from(rgba) };
}

describe("fitLogo", () => {
  test("halving averages each 2×2 block", () => {
    const img = image(
      4,
      2,
      [0, 0, 0, 255, 100, 100, 100, 255, 10, 20, 30, 255, 30, 40, 50, 255, 200, 200, 200, 255, 100, 100, 100, 255, 50, 60, 70, 255, 70, 80, 90, 255],
    );
    const out = fitLogo(img, 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect([...out.data]).toEqual([100, 100, 100, 255, 40, 50, 60, 255]);
  });

  test("a ratio that is not whole shares the straddling pixel by area", () => {
    // 3 → 2: the middle pixel counts half towards each output pixel
    const out = fitLogo(image(3, 1, [0, 0, 0, 255, 90, 90, 90, 255, 180, 180, 180, 255]), 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect([...out.data]).toEqual([30, 30, 30, 255, 150, 150, 150, 255]);
  });

  test("transparency is flattened onto white, before averaging so clear pixels do not darken the edge", () => {
    const img = image(2, 1, [0, 0, 0, 0, 0, 0, 0, 128]);
    expect([...fitLogo(img, 10).data]).toEqual([255, 255, 255, 255, 127, 127, 127, 255]);
    // a fully clear pixel (its colour black) next to opaque red: the average is pink, not dark red
    const edge = fitLogo(image(2, 1, [0, 0, 0, 0, 255, 0, 0, 255]), 1);
    expect([...edge.data]).toEqual([255, 128, 128, 255]);
  });

  test("a logo that fits keeps its size and pixels, and comes back opaque in a new array", () => {
    const img = decodePng(encodePng({ ...randomSpec(2, 8, 5, 4, 11), trns: undefined }));
    const out = fitLogo(img, 576);
    expect([out.width, out.height]).toEqual([5, 4]);
    expect([...out.data]).toEqual([...img.data]);
    expect(out.data).not.toBe(img.data);
  });

  test("keeps the aspect ratio; a thin logo keeps at least one row", () => {
    const wide = fitLogo({ width: 600, height: 300, data: new Uint8ClampedArray(600 * 300 * 4).fill(255) }, 384);
    expect([wide.width, wide.height]).toEqual([384, 192]);
    expect(wide.data.every((v) => v === 255)).toBe(true);
    const strip = fitLogo({ width: 2000, height: 1, data: new Uint8ClampedArray(2000 * 4) }, 10);
    expect([strip.width, strip.height]).toEqual([10, 1]);
    expect(fitLogo({ width: 7, height: 5, data: new Uint8ClampedArray(140) }, 3.9).width).toBe(3);
  });

  test("a solid colour stays that colour at any scale", () => {
    const px = [12, 34, 56, 255];
    const img = { width: 97, height: 41, data: Uint8ClampedArray.from({ length: 97 * 41 * 4 }, (_, i) => px[i % 4]!) };
    for (const max of [1, 13, 50, 96]) {
      const out = fitLogo(img, max);
      expect(out.width).toBe(max);
      expect(out.height).toBe(Math.max(1, Math.round((41 * max) / 97)));
      for (let i = 0; i < out.data.length; i += 4) expect([...out.data.subarray(i, i + 4)]).toEqual(px);
    }
  });

  test("the largest logo scales to 576 dots quickly", () => {
    const img = { width: 2000, height: 2000, data: new Uint8ClampedArray(2000 * 2000 * 4).fill(200) };
    const started = performance.now();
    const out = fitLogo(img, 576);
    expect(performance.now() - started).toBeLessThan(5000);
    expect([out.width, out.height]).toEqual([576, 576]);
  });

  test("refuses a bad maxWidth or a data array of the wrong size", () => {
    const img = image(1, 1, [1, 2, 3, 4]);
    expect(() => fitLogo(img, 0)).toThrow(RangeError);
    expect(() => fitLogo(img, Number.NaN)).toThrow(RangeError);
    expect(() => fitLogo(image(2, 2, [1, 2, 3, 4]), 10)).toThrow(RangeError);
  });

  test("a decoded PNG, fitted, goes straight into the receipt's logo", () => {
    const spec = randomSpec(6, 16, 40, 20, 9);
    const logo = fitLogo(decodePng(encodePng({ ...spec, interlaced: true })), 16);
    expect([logo.width, logo.height]).toEqual([16, 8]);
    expect(logo.data.length).toBe(16 * 8 * 4);
  });
});
