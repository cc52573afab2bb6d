// The shelf label's layout, without a PDF: where each label sits on its page, names wrapped and shortened to fit,
// prices shrunk to fit, text kept to what the PDF's fonts can draw, and which barcode a product's label carries.
import { describe, expect, test } from "bun:test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { defaultEmbeddedPatterns, withCheckDigit } from "../../domain/kernel/barcode.ts";
import { fitLine, fitSize, LABELS_PER_PAGE, labelBox, pageCount, per100g, priceText, SHEET, showable, symbolFor, wrapName } from "./labels.ts";

/** Every character as wide as 0.5 of the size: easy to reason about. */
const even = (text: string, size: number) => [...text].length * size * 0.5;

const doc = await PDFDocument.create();
const helvetica = await doc.embedFont(StandardFonts.Helvetica);
const winAnsi = new Set(helvetica.getCharacterSet());
const canShow = (cp: number) => winAnsi.has(cp);

describe("where the labels sit", () => {
  test("24 to a page, 3 across and 8 down, from the top left, inside the margin", () => {
    expect(LABELS_PER_PAGE).toBe(24);
    expect([0, 1, 24, 25, 30, 48].map(pageCount)).toEqual([0, 1, 1, 2, 2, 2]);
    const first = labelBox(0);
    const third = labelBox(2);
    const last = labelBox(23);
    expect(first.page).toBe(0);
    expect(first.x).toBeCloseTo(SHEET.margin);
    expect(first.y + first.height).toBeCloseTo(SHEET.height - SHEET.margin);
    expect(third.x + third.width).toBeCloseTo(SHEET.width - SHEET.margin);
    expect(third.y).toBeCloseTo(first.y);
    expect(last.y).toBeCloseTo(SHEET.margin);
    expect(labelBox(3).y).toBeCloseTo(first.y - first.height);
    expect(labelBox(24)).toEqual({ ...first, page: 1 });
  });
});

describe("text that fits", () => {
  test("a line too long is cut and ends with an ellipsis; one that fits stays as it is", () => {
    expect(fitLine("Milk", 100, 10, even)).toBe("Milk");
    const cut = fitLine("Organic whole milk from the hills", 60, 10, even);
    expect(cut.endsWith("…")).toBe(true);
    expect(even(cut, 10)).toBeLessThanOrEqual(60);
    expect(cut).toBe("Organic who…");
  });

  test("a name wraps between words on two lines, and the rest is shortened", () => {
    expect(wrapName("Fresh Milk 1 L", 100, 10, 2, even)).toEqual(["Fresh Milk 1 L"]);
    expect(wrapName("Rioja Crianza Reserva 0.75 L", 50, 10, 2, even)).toEqual(["Rioja", "Crianza R…"]);
    expect(wrapName("Rioja Crianza Reserva 0.75 L", 80, 10, 2, even)).toEqual(["Rioja Crianza", "Reserva 0.75 L"]);
    const long = wrapName("Supercalifragilisticexpialidocious cheese", 60, 10, 2, even);
    expect(long).toHaveLength(2);
    for (const line of long) expect(even(line, 10)).toBeLessThanOrEqual(60);
    expect(wrapName("", 60, 10, 2, even)).toEqual([]);
  });

  test("a price takes the largest size that fits, never less than the least", () => {
    expect(fitSize("€1.19", 100, 22, 8, even)).toBe(22);
    expect(fitSize("€1,299.00", 60, 22, 8, even)).toBe(13);
    expect(fitSize("€1,234,567.89", 10, 22, 8, even)).toBe(8);
  });
});

describe("what the PDF's fonts can draw", () => {
  test("Latin-1 and € stay; letters it lacks become their plain letter; emoji and joiners go", () => {
    expect(showable("Jamón Serrano · 250 g €", canShow)).toBe("Jamón Serrano · 250 g €");
    expect(showable("Łódź Żubrówka", canShow)).toBe("Lódz Zubrówka");
    expect(showable("Smörgås 🍞 fresh 👨‍👩‍👧", canShow)).toBe("Smörgås fresh");
    expect(showable("Ελιές", canShow)).toBe("?????");
    expect(showable("Line\tbreak\u202fhere", canShow)).toBe("Line break here");
    // what comes out can always be drawn: pdf-lib throws on anything else
    for (const name of ["Łódź", "🍞", "Ελιές", "Ǆ ǅ", "ﬁsh"]) expect(() => helvetica.encodeText(showable(name, canShow))).not.toThrow();
  });

  test("a price in the shop's format, or with the currency's code when the font lacks its symbol", () => {
    expect(priceText(119, "EUR", canShow)).toBe("€1.19");
    expect(priceText(123456, "GBP", canShow)).toBe("£1,234.56");
    expect(priceText(1999, "PLN", canShow)).toBe("PLN 19.99");
    expect(priceText(1999, "INR", canShow)).toBe("19.99 INR");
    expect(priceText(500, "JPY", canShow)).toBe("JP¥500");
  });

  test("a weighed item's price per 100 g is its price per kg over ten, rounded half up", () => {
    expect([per100g(299), per100g(1995), per100g(5)]).toEqual([30, 200, 1]);
  });
});

describe("which barcode a label carries", () => {
  const ean13 = withCheckDigit("400638133393");
  const ean8 = withCheckDigit("9638507");
  const upca = withCheckDigit("03600029145");
  test("the product's own EAN-13, EAN-8 or UPC", () => {
    expect(symbolFor({ barcode: ean13, sku: "X" }, defaultEmbeddedPatterns)).toEqual({ bcid: "ean13", text: ean13 });
    expect(symbolFor({ barcode: ean8, sku: "X" }, defaultEmbeddedPatterns)).toEqual({ bcid: "ean8", text: ean8 });
    expect(symbolFor({ barcode: upca, sku: "X" }, defaultEmbeddedPatterns)).toEqual({ bcid: "upca", text: upca });
    expect(symbolFor({ barcode: "04252614", sku: "X" }, defaultEmbeddedPatterns)).toEqual({ bcid: "upce", text: "04252614" });
  });

  test("otherwise Code 128 of the SKU: no barcode, a wrong check digit, a price- or weight-embedded base code", () => {
    const sku = { bcid: "code128", text: "MILK-1L" } as const;
    expect(symbolFor({ barcode: null, sku: "MILK-1L" }, defaultEmbeddedPatterns)).toEqual(sku);
    expect(symbolFor({ barcode: `${ean13.slice(0, 12)}${(Number(ean13[12]) + 1) % 10}`, sku: "MILK-1L" }, defaultEmbeddedPatterns)).toEqual(sku);
    expect(symbolFor({ barcode: withCheckDigit("230001000000"), sku: "MILK-1L" }, defaultEmbeddedPatterns)).toEqual(sku);
    expect(symbolFor({ barcode: "ABC-123", sku: "MILK-1L" }, defaultEmbeddedPatterns)).toEqual(sku);
    // a code of the embedded ranges is the product's own when the shop has no such pattern
    expect(symbolFor({ barcode: withCheckDigit("230001000000"), sku: "MILK-1L" }, [])).toEqual({ bcid: "ean13", text: withCheckDigit("230001000000") });
  });

  test("a SKU Code 128 cannot carry gets no barcode (the label shows it as text)", () => {
    expect(symbolFor({ barcode: null, sku: "KÄSE-1" }, defaultEmbeddedPatterns)).toBeNull();
  });
});
