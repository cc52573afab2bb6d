// A client's text in a log line: one line, no control characters, the rest as it was.
import { expect, test } from "bun:test";
import { printable } from "./log-text.ts";

test("control characters are written as their codes; everything else is kept", () => {
  expect(printable("/catalog/a\u0000b\nhq: refused nothing\u001b[2J")).toBe("/catalog/a\\x00b\\x0ahq: refused nothing\\x1b[2J");
  expect(printable("/stores/Café Nord — €5")).toBe("/stores/Café Nord — €5");
  expect(printable("\u009b")).toBe("\\x9b");
});
