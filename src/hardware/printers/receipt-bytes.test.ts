// Receipts, test pages and drawer kicks read back from their bytes with the test decoder: what would come out on paper.
import { describe, expect, test } from "bun:test";
import type { ReceiptDocument, ReceiptLine } from "../../domain/sale/receipt.ts";
import { type Decoded, decodeEscPos } from "../virtual/escpos-decoder.ts";
import { listPrinterModels, type PrintProfile, PrintProfileError } from "./print-profile.ts";
import { CHARACTER_TEST, renderDrawerKick, renderReceipt, renderTestPage } from "./receipt-bytes.ts";

const p80: PrintProfile = { language: "esc-pos", paperMm: 80, codepage: "auto" };
const p58: PrintProfile = { language: "esc-pos", paperMm: 58, codepage: "auto" };
const paris = { currency: "EUR", timeZone: "Europe/Paris" };

const line = (name: string, total: number, more: Partial<ReceiptLine> = {}): ReceiptLine => ({
  name,
  qtyMilli: 1000,
  weighed: false,
  unitPrice: total,
  amount: total,
  discount: 0,
  total,
  note: null,
  ...more,
});

function receipt(more: Partial<ReceiptDocument> = {}): ReceiptDocument {
  return {
    store: {
      name: "Épicerie du Coin",
      address: ["12 Rue de la Paix", "75002 Paris"],
      taxId: "FR12345678901",
      header: ["Open 8-20"],
      footer: ["Merci et à bientôt"],
    },
    receiptNumber: "001-000123",
    at: "2026-11-25T10:05:00.000Z",
    register: "Lane 1",
    cashier: "Anna",
    lines: [
      line("Crème fraîche", 189),
      line("Müsli", 238, { qtyMilli: 2000, unitPrice: 119 }),
      line("Jalapeño", 200, { qtyMilli: 750, weighed: true, unitPrice: 299, amount: 224, discount: 24, note: "price changed: damaged" }),
      line("Smørrebrød", 450),
    ],
    subtotal: 1101,
    discount: 24,
    tax: 98,
    total: 1077,
    rounding: -2,
    taxes: [
      { label: "Reduced", rateBp: 550, net: 1009, tax: 55 },
      { label: "Standard", rateBp: 2000, net: 0, tax: 0 },
    ],
    payments: [
      { method: "Card", amount: 500, detail: "VISA **** 1234 auth 987654" },
      { method: "Cash", amount: 1000, detail: null },
    ],
    change: 425,
    copy: false,
    ...more,
  };
}

const decode = (bytes: Uint8Array): Decoded => decodeEscPos(bytes);
const has = (d: Decoded, re: RegExp) => d.lines.some((l) => re.test(l));
const cells = (l: string) => l.trim().split(/\s{2,}|\s(?=-?\d+\.\d\d$)/);

describe("a full receipt", () => {
  const d = decode(renderReceipt(receipt(), p80, paris));

  test("shows the store, every line with its total, the totals, payments and change", () => {
    expect(d.lines.map((l) => l.trim())).toContain("Épicerie du Coin");
    for (const l of ["12 Rue de la Paix", "75002 Paris", "Tax id FR12345678901", "Open 8-20", "Merci et à bientôt"]) {
      expect(d.lines.map((x) => x.trim())).toContain(l);
    }
    for (const [name, total] of [
      ["Crème fraîche", "1.89"],
      ["Müsli", "2.38"],
      ["Jalapeño", "2.00"],
      ["Smørrebrød", "4.50"],
    ] as const) {
      expect(d.lines.some((l) => l.startsWith(name) && l.trimEnd().endsWith(` ${total}`))).toBe(true);
    }
    expect(has(d, /^ {2}2 x 1\.19\s*$/)).toBe(true);
    expect(has(d, /^ {2}0\.750 kg x 2\.99\/kg\s*$/)).toBe(true);
    expect(has(d, /^ {2}discount\s+-0\.24$/)).toBe(true);
    expect(has(d, /^ {2}price changed: damaged\s*$/)).toBe(true);
    expect(has(d, /^Discounts\s+-0\.24$/)).toBe(true);
    expect(has(d, /^TOTAL\s+€10\.77$/)).toBe(true);
    expect(has(d, /^Cash rounding\s+-0\.02$/)).toBe(true);
    expect(has(d, /^Card\s+5\.00$/)).toBe(true);
    expect(has(d, /^ {2}VISA \*\*\*\* 1234 auth 987654\s*$/)).toBe(true);
    expect(has(d, /^Cash\s+10\.00$/)).toBe(true);
    expect(has(d, /^Change\s+4\.25$/)).toBe(true);
    expect(d.unprinted).toBe("");
  });

  test("TOTAL is bold and large", () => {
    const i = d.events.findIndex((e) => e.type === "size" && e.width === 2 && e.height === 2);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(d.events.some((e) => e.type === "bold" && e.on)).toBe(true);
  });

  test("a tax row per rate: label, rate, net and tax", () => {
    expect(d.lines.map(cells)).toContainEqual(["Reduced 5.5 %", "10.09", "0.55"]);
    expect(d.lines.map(cells)).toContainEqual(["Standard 20 %", "0.00", "0.00"]);
  });

  test("receipt number, register, cashier and the time in the store's zone", () => {
    expect(has(d, /^Receipt\s+001-000123$/)).toBe(true);
    expect(has(d, /^Date\s+25\/11\/2026, 11:05$/)).toBe(true);
    expect(has(d, /^Register\s+Lane 1$/)).toBe(true);
    expect(has(d, /^Cashier\s+Anna$/)).toBe(true);
    const ny = decode(renderReceipt(receipt({ at: "2026-11-26T03:30:00.000Z" }), p80, { currency: "USD", timeZone: "America/New_York" }));
    expect(has(ny, /^Date\s+25\/11\/2026, 22:30$/)).toBe(true);
    expect(has(ny, /^TOTAL\s+\$10\.77$/)).toBe(true);
  });

  test("the receipt number as CODE128 and, on 80 mm, as a QR code; the cut comes last", () => {
    expect(d.events).toContainEqual({ type: "barcode", symbology: "code128", data: "001-000123" });
    expect(d.events).toContainEqual({ type: "qrcode", data: "001-000123" });
    expect(d.events.at(-1)).toEqual({ type: "cut" });
    expect(d.events.filter((e) => e.type === "cut")).toHaveLength(1);
  });

  test("58 mm: the barcode still fits, no QR code", () => {
    const n = decode(renderReceipt(receipt(), p58, paris));
    expect(n.events).toContainEqual({ type: "barcode", symbology: "code128", data: "001-000123" });
    expect(n.events.some((e) => e.type === "qrcode")).toBe(false);
    expect(n.events.at(-1)).toEqual({ type: "cut" });
  });
});

describe("characters", () => {
  const words = ["Crème fraîche", "Müsli", "Jalapeño", "Smørrebrød"];
  // every page here holds all of é î ü ñ ø and €
  test.each(["auto", "cp858", "windows1252", "iso8859-15"])("code page %s prints them exactly", (codepage) => {
    const d = decode(renderReceipt(receipt({ lines: words.map((w) => line(w, 100)) }), { ...p58, codepage }, paris));
    for (const w of words) expect(d.lines.filter((l) => l.startsWith(`${w} `))).toHaveLength(1);
    expect(has(d, /^TOTAL\s+€10\.77$/)).toBe(true);
    expect(d.lines.join("")).not.toContain("?");
  });

  test("a euro sign inside a product name", () => {
    const d = decode(renderReceipt(receipt({ lines: [line("Gift card €20", 2000)] }), p80, paris));
    expect(has(d, /^Gift card €20\s+20\.00$/)).toBe(true);
  });

  test("a code page without € names the currency instead", () => {
    const d = decode(renderReceipt(receipt(), { ...p80, codepage: "cp437" }, paris));
    expect(has(d, /^TOTAL\s+EUR 10\.77$/)).toBe(true);
    expect(d.lines.some((l) => l.startsWith("Crème fraîche"))).toBe(true);
  });

  test("decomposed accents are printed as one character", () => {
    const d = decode(renderReceipt(receipt({ lines: [line("Cre\u0300me", 100)] }), p80, paris));
    expect(d.lines.some((l) => l.startsWith("Crème "))).toBe(true);
  });

  test("control characters in a product name never reach the printer as commands", () => {
    const d = decode(renderReceipt(receipt({ lines: [line("Evil\x1bp\x00\x19\xfa\x1dV\x00", 100)] }), p80, paris));
    expect(d.events.filter((e) => e.type === "pulse" || e.type === "cut")).toEqual([{ type: "cut" }]);
  });

  // the encoder writes these as the bytes IBM's code pages draw them at: 0x1B (ESC), 0x1D (GS), 0x10 (DLE)…
  test.each(["auto", "cp437", "cp858", "windows1252"])("symbols drawn in the control range are never commands either (%s)", (codepage) => {
    const name = "←p0←← ↔V♥ §1 ¶";
    const d = decode(renderReceipt(receipt({ lines: [line(name, 100)] }), { ...p80, codepage }, paris));
    expect(d.events.filter((e) => e.type === "pulse" || e.type === "cut")).toEqual([{ type: "cut" }]);
    expect(d.lines.some((l) => l.startsWith("<-p0<-<- <->V<3 S.1 P. "))).toBe(true);
  });

  test("other currencies: plain numbers in their own decimals", () => {
    const d = decode(renderReceipt(receipt(), p80, { currency: "JPY", timeZone: "Asia/Tokyo" }));
    expect(has(d, /^TOTAL\s+¥1077$/)).toBe(true);
    expect(has(d, /^Crème fraîche\s+189$/)).toBe(true);
  });
});

describe("line widths", () => {
  const long = "Extraordinarily long product name with many words that must wrap";
  const wide = receipt({
    store: {
      name: "Supermarché Smørrebrød & Fils International",
      address: ["A very long street address that keeps going, Building 7, Floor 3"],
      taxId: "DE123456789",
      header: ["x".repeat(70)],
      footer: ["Thank you for shopping with us, come back soon, we mean it — really"],
    },
    lines: [
      line(long, 123456789),
      line("Müsli", 99, { qtyMilli: 12345, unitPrice: 8 }),
      line("Äpfel", 1234, { weighed: true, qtyMilli: 1234, note: "a note that is long enough to wrap over the whole width of the paper" }),
    ],
    total: 123457999,
    payments: [{ method: "Card", amount: 123457999, detail: "MASTERCARD **** 9876 auth 123456 terminal 0042-LANE-1" }],
    taxes: [{ label: "Standard rate for most goods", rateBp: 1925, net: 103746218, tax: 19711781 }],
    copy: true,
  });

  const cases: [string, number, PrintProfile][] = [
    ["58 mm", 32, p58],
    ["80 mm", 48, p80],
    ["80 mm on a 42-column model", 42, { ...p80, printerModel: "epson-tm-t88vi" }],
  ];
  test.each(cases)("%s: no line is wider than %i columns", (_name, columns, profile) => {
    const d = decode(renderReceipt(wide, profile, { ...paris, kickDrawer: 2 }));
    expect(Math.max(...d.widths)).toBeLessThanOrEqual(columns);
    expect(d.lines.some((l) => l.startsWith("Extraordinarily"))).toBe(true);
    expect(d.lines.join(" ")).toContain("1234567.89");
  });
});

describe("copies and the drawer", () => {
  test("COPY only on a copy", () => {
    const copy = decode(renderReceipt(receipt({ copy: true }), p80, paris));
    expect(copy.lines.filter((l) => l.includes("COPY")).map((l) => l.trim())).toEqual(["COPY"]);
    const original = decode(renderReceipt(receipt({ copy: false }), p80, paris));
    expect(original.lines.some((l) => l.includes("COPY"))).toBe(false);
  });

  test("a pulse only when asked, on the pin asked, before anything is printed", () => {
    for (const kickDrawer of [undefined, null]) {
      expect(decode(renderReceipt(receipt(), p80, { ...paris, kickDrawer })).events.some((e) => e.type === "pulse")).toBe(false);
    }
    for (const pin of [2, 5] as const) {
      const d = decode(renderReceipt(receipt(), p58, { ...paris, kickDrawer: pin }));
      expect(d.events.filter((e) => e.type === "pulse")).toEqual([{ type: "pulse", pin }]);
      expect(d.events[0]).toEqual({ type: "pulse", pin });
      expect(d.lines[0]).not.toBe("");
      expect(d.events.at(-1)).toEqual({ type: "cut" });
    }
  });
});

test("a 40-line receipt keeps every line, in order", () => {
  const items = Array.from({ length: 40 }, (_, i) => line(`Item ${String(i + 1).padStart(2, "0")} ñ€`, 100 + i));
  const d = decode(renderReceipt(receipt({ lines: items }), p58, paris));
  const printed = d.lines.filter((l) => l.startsWith("Item "));
  expect(printed).toHaveLength(40);
  printed.forEach((l, i) => {
    expect(l.startsWith(`Item ${String(i + 1).padStart(2, "0")} ñ€ `)).toBe(true);
    expect(l.endsWith(` ${((100 + i) / 100).toFixed(2)}`)).toBe(true);
  });
  expect(has(d, /^TOTAL\s+€10\.77$/)).toBe(true);
  expect(d.events.at(-1)).toEqual({ type: "cut" });
});

test("a logo is printed above the store name, no wider than the paper", () => {
  const black = (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(0) });
  const d = decode(renderReceipt(receipt(), p80, { ...paris, logo: black(200, 80) }));
  expect(d.events).toContainEqual({ type: "image", width: 200, height: 80 });
  const n = decode(renderReceipt(receipt(), p58, { ...paris, logo: black(1000, 300) }));
  const image = n.events.find((e) => e.type === "image");
  expect(image).toEqual({ type: "image", width: 384, height: 120 });
  const storeName = n.events.findIndex((e) => e.type === "size" && e.width === 2);
  expect(n.events.indexOf(image!)).toBeLessThan(storeName);
});

describe("StarPRNT", () => {
  test("renders, and not as ESC/POS", () => {
    const star = renderReceipt(receipt(), { ...p80, language: "star-prnt" }, { ...paris, kickDrawer: 5 });
    const esc = renderReceipt(receipt(), p80, { ...paris, kickDrawer: 5 });
    expect(star.length).toBeGreaterThan(200);
    expect(Buffer.from(star).equals(Buffer.from(esc))).toBe(false);
    expect(Buffer.from(star).includes(Buffer.from([0x1b, 0x07]))).toBe(true);
    expect(Buffer.from(star).includes(Buffer.from("001-000123"))).toBe(true);
  });

  test("a Star Line model takes the StarPRNT setting", () => {
    const bytes = renderReceipt(receipt(), { ...p80, language: "star-prnt", printerModel: "star-tsp650ii" }, paris);
    expect(bytes.length).toBeGreaterThan(200);
  });
});

describe("the test page", () => {
  const at = "2026-11-25T10:05:00.000Z";
  test.each([p58, p80])("shows the profile, the characters, a barcode, and cuts (%#)", (profile) => {
    const d = decode(renderTestPage(profile, { printerName: "Front counter", at, timeZone: "Europe/Paris" }));
    const trimmed = d.lines.map((l) => l.trim());
    expect(trimmed).toContain("TEST PAGE");
    expect(trimmed).toContain("Front counter");
    expect(trimmed).toContain("25/11/2026, 11:05");
    expect(has(d, /^Language\s+ESC\/POS$/)).toBe(true);
    expect(has(d, new RegExp(`^Paper\\s+${profile.paperMm} mm, ${profile.paperMm === 58 ? 32 : 48} columns$`))).toBe(true);
    expect(has(d, /^Code page\s+auto$/)).toBe(true);
    for (const l of CHARACTER_TEST) expect(trimmed).toContain(l);
    expect(d.events).toContainEqual({ type: "barcode", symbology: "code128", data: "SHOPFLOW-TEST" });
    expect(d.events.at(-1)).toEqual({ type: "cut" });
    expect(Math.max(...d.widths)).toBeLessThanOrEqual(profile.paperMm === 58 ? 32 : 48);
  });

  test("StarPRNT test page renders", () => {
    expect(renderTestPage({ ...p80, language: "star-prnt" }, { printerName: "Star", at, timeZone: "UTC" }).length).toBeGreaterThan(100);
  });
});

describe("the drawer kick", () => {
  test.each([
    [2, 0],
    [5, 1],
  ] as const)("ESC/POS pin %d is ESC p %d, nothing else", (pin, m) => {
    const bytes = renderDrawerKick(pin, "esc-pos");
    expect([...bytes]).toEqual([0x1b, 0x70, m, 50, 250]);
    expect(decode(bytes)).toEqual({ lines: [], widths: [], events: [{ type: "pulse", pin }], unprinted: "" });
  });

  test.each([
    [2, 0x07],
    [5, 0x1a],
  ] as const)("StarPRNT pin %d is ESC BEL ... %d", (pin, last) => {
    expect([...renderDrawerKick(pin, "star-prnt")]).toEqual([0x1b, 0x07, 10, 50, last]);
  });
});

describe("profiles", () => {
  test("the printer models the encoder knows", () => {
    const models = listPrinterModels();
    expect(models).toContain("epson-tm-t88vi");
    expect(models).toContain("star-tsp100iv");
    expect(new Set(models).size).toBe(models.length);
  });

  // ASCII only: the models number their code pages differently, and the decoder reads Epson's numbers
  test("every model prints a plain receipt that fits its paper", () => {
    const plain = receipt({ store: { name: "Corner Shop", address: [], taxId: null, header: [], footer: [] }, lines: [line("Milk", 99)] });
    for (const printerModel of listPrinterModels()) {
      const star = printerModel.startsWith("star-");
      const profile: PrintProfile = { language: star ? "star-prnt" : "esc-pos", paperMm: 80, codepage: "auto", printerModel };
      const bytes = renderReceipt(plain, profile, { currency: "USD", timeZone: "UTC" });
      if (star) continue;
      const d = decode(bytes);
      expect(has(d, /^Milk\s+0\.99$/)).toBe(true);
      expect(Math.max(...d.widths)).toBeLessThanOrEqual(48);
      expect(d.events.at(-1)).toEqual({ type: "cut" });
    }
  });

  const bad: [string, Partial<PrintProfile>, string][] = [
    ["an unknown code page", { codepage: "cp9999" }, "unknown_codepage"],
    ["a code page the printer lacks", { codepage: "cp1001" }, "codepage_not_on_printer"],
    ["an unknown model", { printerModel: "acme-1" }, "unknown_printer_model"],
    ["a Star model set to ESC/POS", { printerModel: "star-tsp100iv" }, "printer_model_language"],
  ];
  test.each(bad)("%s is refused with a code", (_name, change, code) => {
    try {
      renderReceipt(receipt(), { ...p80, ...change }, paris);
      throw new Error("rendered");
    } catch (e) {
      expect(e).toBeInstanceOf(PrintProfileError);
      expect((e as PrintProfileError).code).toBe(code as PrintProfileError["code"]);
    }
  });
});
