// What a spreadsheet opening our CSV would run is defused; what is only a number stays a number.
import { describe, expect, test } from "bun:test";
import { csvTable } from "./csv.ts";

describe("csvTable", () => {
  test("formulas defused with an apostrophe; a negative number kept as it is", () => {
    const text = csvTable(
      ["what", "on hand"],
      [
        ['=HYPERLINK("http://x")', -5],
        ["+1+1", "-1.25"],
        ["@SUM(A1)", "-1+2"],
        ["-cmd|' /C calc'!A0", 0],
      ],
    );
    expect(text.split("\r\n")).toEqual([
      '"what","on hand"',
      '"\'=HYPERLINK(""http://x"")","-5"',
      '"\'+1+1","-1.25"',
      '"\'@SUM(A1)","\'-1+2"',
      '"\'-cmd|\' /C calc\'!A0","0"',
      "",
    ]);
  });
});
