import { describe, expect, test } from "bun:test";
import {
  defaultEmbeddedPatterns,
  type EmbeddedPattern,
  expandUpcE,
  gtinCheckDigit,
  isValidGtin,
  lookupForms,
  makeEmbedded,
  readEmbedded,
  withCheckDigit,
} from "./barcode.ts";

describe("gtinCheckDigit", () => {
  test("EAN-13 4006381333931, UPC-A 036000291452, EAN-8 73513537, GTIN-14 00012345600012", () => {
    expect(gtinCheckDigit("400638133393")).toBe(1);
    expect(gtinCheckDigit("03600029145")).toBe(2);
    expect(gtinCheckDigit("7351353")).toBe(7);
    expect(gtinCheckDigit("0001234560001")).toBe(2);
  });

  test("a sum that is already a multiple of ten gives 0", () => {
    expect(gtinCheckDigit("0000000")).toBe(0);
    expect(withCheckDigit("201234500000")).toBe("2012345000001");
  });
});

describe("isValidGtin", () => {
  test("accepts real codes of every length", () => {
    expect(isValidGtin("4006381333931")).toBe(true);
    expect(isValidGtin("036000291452")).toBe(true);
    expect(isValidGtin("73513537")).toBe(true);
    expect(isValidGtin("00012345600012")).toBe(true);
  });

  test("rejects a wrong check digit or a swapped pair of digits", () => {
    expect(isValidGtin("4006381333932")).toBe(false);
    expect(isValidGtin("036000291453")).toBe(false);
    expect(isValidGtin("73513573")).toBe(false);
    expect(isValidGtin("4006383133931")).toBe(false);
  });

  test("rejects other lengths and anything not digits", () => {
    expect(isValidGtin("")).toBe(false);
    expect(isValidGtin("1234567")).toBe(false);
    expect(isValidGtin("4006381333")).toBe(false);
    expect(isValidGtin("40063813339310")).toBe(false);
    expect(isValidGtin("400638133393X")).toBe(false);
    expect(isValidGtin(" 73513537")).toBe(false);
  });
});

describe("expandUpcE", () => {
  test("04252614 is UPC-A 042100005264 (last digit 0-2: manufacturer ends in it)", () => {
    expect(expandUpcE("04252614")).toBe("042100005264");
    expect(expandUpcE("01234505")).toBe("012000003455");
  });

  test("last digit 3, 4 and 5-9 each move the zeros to their own place", () => {
    expect(expandUpcE("01234531")).toBe("012300000451");
    expect(expandUpcE("01234543")).toBe("012340000053");
    expect(expandUpcE("01234565")).toBe("012345000065");
  });

  test("a wrong check digit or a number system other than 0 or 1 is not UPC-E", () => {
    expect(expandUpcE("04252615")).toBeNull();
    expect(expandUpcE("24252614")).toBeNull();
    expect(expandUpcE("73513537")).toBeNull();
    expect(expandUpcE("0425261")).toBeNull();
    expect(expandUpcE("042526144")).toBeNull();
  });
});

describe("lookupForms", () => {
  test("a UPC-A is also looked up as its EAN-13 and the reverse", () => {
    expect(lookupForms("036000291452")).toEqual(["036000291452", "0036000291452"]);
    expect(lookupForms("0036000291452")).toEqual(["0036000291452", "036000291452"]);
  });

  test("a UPC-E is also looked up as the UPC-A and EAN-13 it expands to", () => {
    expect(lookupForms("04252614")).toEqual(["04252614", "042100005264", "0042100005264"]);
  });

  test("an EAN-13 or EAN-8 outside the US range is looked up only as scanned", () => {
    expect(lookupForms("4006381333931")).toEqual(["4006381333931"]);
    expect(lookupForms("73513537")).toEqual(["73513537"]);
    expect(lookupForms("SKU-42")).toEqual(["SKU-42"]);
  });
});

describe("readEmbedded and makeEmbedded", () => {
  const byPrefix = (prefix: string): EmbeddedPattern => {
    const p = defaultEmbeddedPatterns.find((x) => x.prefix === prefix);
    if (!p) throw new Error(`no default pattern for ${prefix}`);
    return p;
  };

  test("a price label 2012345012349 is item 2012345000001 at 12.34", () => {
    expect(readEmbedded("2012345012349", defaultEmbeddedPatterns)).toEqual({ baseCode: "2012345000001", kind: "price", value: 1234 });
  });

  test("a weight label 2300042002504 is item 2300042000005 weighing 250 g", () => {
    expect(readEmbedded("2300042002504", defaultEmbeddedPatterns)).toEqual({ baseCode: "2300042000005", kind: "weight", value: 250 });
  });

  test("a UPC number system 2 price code in EAN-13 form (prefix 02)", () => {
    expect(readEmbedded("0212345012345", defaultEmbeddedPatterns)).toEqual({ baseCode: "0212345000007", kind: "price", value: 1234 });
  });

  test("a scale's label reads back to the base code and the value it was printed with", () => {
    expect(makeEmbedded("2012345000001", 1234, byPrefix("20"))).toBe("2012345012349");
    expect(makeEmbedded("2300042000005", 250, byPrefix("23"))).toBe("2300042002504");
    for (const prefix of ["20", "21", "22", "23", "24", "25", "02"]) {
      const pattern = byPrefix(prefix);
      const base = withCheckDigit(`${prefix}98765`.padEnd(12, "0"));
      for (const value of [0, 1, 5, 99, 1234, 54321, 99999]) {
        const label = makeEmbedded(base, value, pattern);
        expect(label).toHaveLength(13);
        expect(isValidGtin(label)).toBe(true);
        expect(readEmbedded(label, defaultEmbeddedPatterns)).toEqual({ baseCode: base, kind: pattern.kind, value });
      }
    }
  });

  test("a price check digit between item and value is skipped", () => {
    const pattern: EmbeddedPattern = { prefix: "28", kind: "price", itemDigits: 4, valueDigits: 5 };
    expect(readEmbedded("2812349005992", [pattern])).toEqual({ baseCode: "2812340000002", kind: "price", value: 599 });
  });

  test("ordinary codes, wrong check digits and unknown prefixes are not embedded", () => {
    expect(readEmbedded("4006381333931", defaultEmbeddedPatterns)).toBeNull();
    expect(readEmbedded("2012345012348", defaultEmbeddedPatterns)).toBeNull();
    expect(readEmbedded("036000291452", defaultEmbeddedPatterns)).toBeNull();
    expect(readEmbedded("2012345012349", [])).toBeNull();
    expect(isValidGtin("2912345012342")).toBe(true);
    expect(readEmbedded("2912345012342", defaultEmbeddedPatterns)).toBeNull();
  });

  test("a pattern whose item and value overlap is ignored", () => {
    const overlapping: EmbeddedPattern = { prefix: "20", kind: "price", itemDigits: 6, valueDigits: 5 };
    expect(readEmbedded("2012345012349", [overlapping])).toBeNull();
    expect(readEmbedded("2012345012349", [overlapping, byPrefix("20")])?.value).toBe(1234);
  });
});
