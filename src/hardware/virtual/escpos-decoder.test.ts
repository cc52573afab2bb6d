// The test decoder checked against byte sequences written by hand from the ESC/POS command reference.
import { describe, expect, test } from "bun:test";
import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import iconv from "iconv-lite";
import { code128Text, decodeEscPos, EscPosDecodeError } from "./escpos-decoder.ts";
import { decoderCodepages } from "./escpos-tables.ts";

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const CR = 0x0d;
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const decode = (...parts: (number | number[])[]) => decodeEscPos(Uint8Array.from(parts.flat()));

describe("text", () => {
  test("each line feed prints a line; CR after LF changes nothing", () => {
    const d = decode(ESC, 0x40, ascii("Milk"), LF, CR, ascii("Bread"), LF, CR, LF);
    expect(d.lines).toEqual(["Milk", "Bread", ""]);
    expect(d.widths).toEqual([4, 5, 0]);
    expect(d.unprinted).toBe("");
  });

  test("text without a line feed is not printed", () => {
    const d = decode(ascii("Milk"), LF, ascii("left over"));
    expect(d.lines).toEqual(["Milk"]);
    expect(d.unprinted).toBe("left over");
  });

  test("ESC d n prints the buffer and feeds n lines", () => {
    expect(decode(ascii("end"), ESC, 0x64, 3).lines).toEqual(["end", "", ""]);
  });

  test("a tab moves to the next multiple of eight", () => {
    expect(decode(ascii("ab"), 0x09, ascii("c"), LF).lines).toEqual(["ab      c"]);
  });
});

describe("code pages", () => {
  const cases: [string, number, number, string][] = [
    ["cp437 é", 0, 0x82, "é"],
    ["cp437 ü", 0, 0x81, "ü"],
    ["cp437 ñ", 0, 0xa4, "ñ"],
    ["cp850 ø", 2, 0x9b, "ø"],
    ["cp850 dotless i", 2, 0xd5, "ı"],
    ["cp858 €", 19, 0xd5, "€"],
    ["cp858 ø", 19, 0x9b, "ø"],
    ["cp865 ø", 5, 0x9b, "ø"],
    ["windows1252 €", 16, 0x80, "€"],
    ["windows1252 é", 16, 0xe9, "é"],
    ["iso8859-15 €", 40, 0xa4, "€"],
    ["iso8859-15 œ", 40, 0xbd, "œ"],
  ];
  test.each(cases)("%s", (_name, page, byte, char) => {
    const d = decode(ESC, 0x74, page, byte, LF);
    expect(d.lines).toEqual([char]);
    expect(d.events).toEqual([{ type: "codepage", page }]);
  });

  test("switching pages mid-line decodes each byte through the page active for it", () => {
    const d = decode(ESC, 0x74, 0, ascii("Sm"), ESC, 0x74, 19, 0x9b, ascii("rrebr"), 0x9b, ascii("d "), 0xd5, LF);
    expect(d.lines).toEqual(["Smørrebrød €"]);
  });

  test("ESC @ goes back to cp437", () => {
    expect(decode(ESC, 0x74, 19, ESC, 0x40, 0x82, LF).lines).toEqual(["é"]);
  });

  test("a page the decoder has no table for fails on its first non-ASCII byte, not before", () => {
    expect(decode(ESC, 0x74, 99, ascii("ok"), LF).lines).toEqual(["ok"]);
    expect(() => decode(ESC, 0x74, 99, 0x80, LF)).toThrow(EscPosDecodeError);
  });

  test("Kanji mode reads two bytes per character until FS . ends it", () => {
    const d = decode(FS, 0x26, 0x88, 0xa0, FS, 0x2e, 0x82, LF);
    expect(d.lines).toEqual(["\ufffdé"]);
    expect(d.widths).toEqual([3]);
  });
});

// Here the bytes come from the encoder package the receipts are printed with, not from the command reference.
describe("every character of each page, sent by receipt-printer-encoder", () => {
  type Codepage = Parameters<ReceiptPrinterEncoder["codepage"]>[0];
  // The encoder sends ¶ and § as 0x14 and 0x15 (IBM's pictures for those control bytes) even on pages that have
  // them at 0xF4 and 0xF5; a printer takes those bytes as commands, and so does the decoder.
  const sentAsControl: Record<string, string[]> = { cp850: ["¶", "§"], cp858: ["¶", "§"] };
  const printable = [...Array.from({ length: 0x5f }, (_, i) => 0x20 + i), ...Array.from({ length: 0x80 }, (_, i) => 0x80 + i)];

  test.each(Object.entries(decoderCodepages))("ESC t %s, %s", (n, name) => {
    expect(iconv.encodingExists(name)).toBe(true);
    // the page's characters as iconv-lite has them; positions it leaves empty (\ufffd) are skipped
    const skip = sentAsControl[name] ?? [];
    const chars = printable.map((b) => iconv.decode(Uint8Array.of(b), name)).filter((c) => c !== "\ufffd" && !skip.includes(c));
    const enc = new ReceiptPrinterEncoder({ language: "esc-pos", columns: 48 }).initialize().codepage(name as Codepage);
    for (const c of chars) enc.line(c);
    const d = decodeEscPos(enc.encode());
    expect(d.events).toEqual([{ type: "codepage", page: Number(n) }]);
    expect(d.lines).toEqual(chars);
  });

  test("¶ and § on cp850 and cp858 still go out as control bytes (drop the exception above once they do not)", () => {
    for (const [name, chars] of Object.entries(sentAsControl)) {
      for (const c of chars) {
        const bytes = new ReceiptPrinterEncoder({ language: "esc-pos", columns: 48 })
          .codepage(name as Codepage)
          .line(c)
          .encode();
        expect(() => decodeEscPos(bytes)).toThrow(/control byte 0x1[45] /);
      }
    }
  });
});

describe("styles", () => {
  test("GS ! sets width and height; double-width characters take two cells", () => {
    const d = decode(GS, 0x21, 0x11, ascii("BIG"), GS, 0x21, 0x00, ascii("ok"), LF);
    expect(d.events).toEqual([
      { type: "size", width: 2, height: 2 },
      { type: "size", width: 1, height: 1 },
    ]);
    expect(d.lines).toEqual(["BIGok"]);
    expect(d.widths).toEqual([8]);
  });

  test("ESC ! sets bold and double width and height together", () => {
    expect(decode(ESC, 0x21, 0x38).events).toEqual([
      { type: "bold", on: true },
      { type: "size", width: 2, height: 2 },
    ]);
    expect(decode(ESC, 0x21, 0x10).events).toEqual([
      { type: "bold", on: false },
      { type: "size", width: 1, height: 2 },
    ]);
  });

  test("ESC E and ESC a", () => {
    const d = decode(ESC, 0x45, 1, ESC, 0x45, 0, ESC, 0x61, 1, ESC, 0x61, 50, ESC, 0x61, 48);
    expect(d.events).toEqual([
      { type: "bold", on: true },
      { type: "bold", on: false },
      { type: "align", value: "center" },
      { type: "align", value: "right" },
      { type: "align", value: "left" },
    ]);
    expect(() => decode(ESC, 0x61, 7)).toThrow(EscPosDecodeError);
  });

  test("settings that change nothing a test reads are consumed with their parameters", () => {
    const d = decode(
      [ESC, 0x33, 24],
      [ESC, 0x32],
      [FS, 0x26],
      [FS, 0x2e],
      [ESC, 0x52, 0],
      [ESC, 0x4d, 0],
      [GS, 0x42, 1],
      [ESC, 0x2d, 1],
      [ESC, 0x34, 0],
      [GS, 0x50, 203, 203],
      [GS, 0x68, 60],
      [GS, 0x77, 3],
      [GS, 0x48, 2],
      [0x10, 0x04, 1],
      ascii("x"),
      LF,
    );
    expect(d.lines).toEqual(["x"]);
    expect(d.events).toEqual([]);
  });
});

describe("paper, drawer and codes", () => {
  test("every GS V form is a cut, and text before it is printed first", () => {
    const d = decode(ascii("last"), GS, 0x56, 0, GS, 0x56, 1, GS, 0x56, 0x41, 3, GS, 0x56, 0x42, 0, GS, 0x56, 49);
    expect(d.lines).toEqual(["last"]);
    expect(d.events).toEqual(Array(5).fill({ type: "cut" }));
  });

  test("ESC p names the pin by m; DLE DC4 1 too", () => {
    const d = decode([ESC, 0x70, 0, 25, 250], [ESC, 0x70, 1, 25, 250], [ESC, 0x70, 48, 25, 250], [0x10, 0x14, 1, 1, 2]);
    expect(d.events).toEqual([
      { type: "pulse", pin: 2 },
      { type: "pulse", pin: 5 },
      { type: "pulse", pin: 2 },
      { type: "pulse", pin: 5 },
    ]);
  });

  test("GS k, function B: CODE128 with its code set selectors", () => {
    const data = ascii("{BR-0001");
    expect(decode(GS, 0x6b, 73, data.length, data).events).toEqual([{ type: "barcode", symbology: "code128", data: "R-0001" }]);
    const digits = [...ascii("{C"), 12, 34, 5];
    expect(decode(GS, 0x6b, 73, digits.length, digits).events).toEqual([{ type: "barcode", symbology: "code128", data: "123405" }]);
  });

  test("GS k, function A: NUL-terminated", () => {
    const d = decode(GS, 0x6b, 2, ascii("4006381333931"), 0, GS, 0x6b, 67, 13, ascii("4006381333931"));
    expect(d.events).toEqual([
      { type: "barcode", symbology: "ean13", data: "4006381333931" },
      { type: "barcode", symbology: "ean13", data: "4006381333931" },
    ]);
    expect(() => decode(GS, 0x6b, 2, ascii("400"))).toThrow(EscPosDecodeError);
  });

  test("code128Text: {{ is a brace, {A {B {C switch sets", () => {
    expect(code128Text(Uint8Array.from([...ascii("{Ba{{b{C"), 7, 42]))).toBe("a{b0742");
  });

  test("GS ( k: the QR code is an event when printed, with the data stored before; PDF417 is skipped", () => {
    const data = ascii("001-000123");
    const store = [GS, 0x28, 0x6b, (data.length + 3) & 0xff, 0, 49, 80, 48, ...data];
    const size = [GS, 0x28, 0x6b, 3, 0, 49, 67, 6];
    const print = [GS, 0x28, 0x6b, 3, 0, 49, 81, 48];
    const pdf417 = [GS, 0x28, 0x6b, 6, 0, 48, 80, 48, ...ascii("abc"), GS, 0x28, 0x6b, 3, 0, 48, 81, 48];
    expect(decode(size, store, pdf417, print).events).toEqual([{ type: "qrcode", data: "001-000123" }]);
    expect(() => decode(print)).toThrow(EscPosDecodeError);
  });

  test("GS v 0: chunks that follow each other are one picture", () => {
    const chunk = (rows: number) => [GS, 0x76, 0x30, 0, 2, 0, rows, 0, ...Array(2 * rows).fill(0xff)];
    expect(decode(chunk(3), chunk(2)).events).toEqual([{ type: "image", width: 16, height: 5 }]);
    const d = decode(chunk(3), LF, chunk(2));
    expect(d.events).toEqual([
      { type: "image", width: 16, height: 3 },
      { type: "image", width: 16, height: 2 },
    ]);
    expect(d.lines).toEqual([""]);
  });

  test("ESC *: strips printed by their line feeds are one picture and no text lines", () => {
    const strip = [ESC, 0x2a, 33, 4, 0, ...Array(12).fill(0), LF];
    const d = decode(ESC, 0x33, 24, strip, strip, ESC, 0x32, ascii("after"), LF);
    expect(d.events).toEqual([{ type: "image", width: 4, height: 48 }]);
    expect(d.lines).toEqual(["after"]);
  });
});

describe("what the decoder refuses", () => {
  const bad: [string, number[]][] = [
    ["an unknown ESC command", [ESC, 0x01]],
    ["an unknown GS command", [GS, 0x01, 0]],
    ["an unknown FS command", [FS, 0x01]],
    ["a bell", [0x07]],
    ["ESC t cut short", [ESC, 0x74]],
    ["GS v 0 with too little data", [GS, 0x76, 0x30, 0, 2, 0, 2, 0, 1, 2]],
    ["GS V with an unknown mode", [GS, 0x56, 9]],
    ["ESC p with no such pin", [ESC, 0x70, 3, 1, 1]],
  ];
  test.each(bad)("%s", (_name, bytes) => {
    expect(() => decodeEscPos(Uint8Array.from(bytes))).toThrow(EscPosDecodeError);
  });

  test("the error says where", () => {
    try {
      decode(ascii("ok"), ESC, 0x01);
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(EscPosDecodeError);
      expect((e as EscPosDecodeError).offset).toBe(2);
    }
  });
});
