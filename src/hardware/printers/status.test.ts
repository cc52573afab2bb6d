import { describe, expect, test } from "bun:test";
import { isStatusReply, parsePaperByte, parseStatus, statusQueries, statusRequest } from "./status.ts";

// Reply bytes as an Epson TM printer sends them: 0x12 is the "all clear" pattern of every DLE EOT reply.
const CLEAR = 0x12;

describe("status requests", () => {
  test("are DLE EOT 1, 2 and 4, in that order", () => {
    expect(statusQueries.map((q) => [...q])).toEqual([
      [0x10, 0x04, 1],
      [0x10, 0x04, 2],
      [0x10, 0x04, 4],
    ]);
    expect([...statusRequest]).toEqual([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4]);
  });
});

describe("parseStatus", () => {
  test("a ready printer with a closed drawer", () => {
    expect(parseStatus([CLEAR, CLEAR, CLEAR])).toEqual({ online: true, paper: "ok", coverOpen: false, drawerOpen: false, error: null });
  });

  test("cover open: offline, and the cause says cover", () => {
    const s = parseStatus([CLEAR | 0x08, CLEAR | 0x04, CLEAR]);
    expect(s).toMatchObject({ online: false, coverOpen: true, paper: "ok" });
    expect(s.error).toContain("cover open");
  });

  test("paper out: the roll sensor says paper end and printing stopped", () => {
    const s = parseStatus([CLEAR | 0x08, CLEAR | 0x20, CLEAR | 0x0c | 0x60]);
    expect(s).toMatchObject({ online: false, paper: "out", coverOpen: false });
    expect(s.error).toContain("Paper out");
  });

  test("paper near end is a warning, not an error", () => {
    expect(parseStatus([CLEAR, CLEAR, CLEAR | 0x0c])).toEqual({ online: true, paper: "near-end", coverOpen: false, drawerOpen: false, error: null });
  });

  test("either bit of a sensor pair counts", () => {
    expect(parsePaperByte(CLEAR | 0x04)).toBe("near-end");
    expect(parsePaperByte(CLEAR | 0x08)).toBe("near-end");
    expect(parsePaperByte(CLEAR | 0x20)).toBe("out");
    expect(parsePaperByte(CLEAR | 0x40)).toBe("out");
    expect(parsePaperByte(CLEAR)).toBe("ok");
  });

  test("drawer: pin 3 high is open by default, and the other way round when the drawer says so", () => {
    expect(parseStatus([CLEAR | 0x04, CLEAR, CLEAR]).drawerOpen).toBe(true);
    expect(parseStatus([CLEAR, CLEAR, CLEAR]).drawerOpen).toBe(false);
    expect(parseStatus([CLEAR | 0x04, CLEAR, CLEAR], { drawerOpenWhen: "low" }).drawerOpen).toBe(false);
    expect(parseStatus([CLEAR, CLEAR, CLEAR], { drawerOpenWhen: "low" }).drawerOpen).toBe(true);
  });

  test("an error (jam, cutter, heat) is reported in words", () => {
    const s = parseStatus([CLEAR | 0x08, CLEAR | 0x40, CLEAR]);
    expect(s.online).toBe(false);
    expect(s.error).toContain("Printer error");
  });

  test("offline with no known cause still says offline", () => {
    expect(parseStatus([CLEAR | 0x08, CLEAR, CLEAR]).error).toBe("Printer offline.");
  });

  test("a paper-end stop means paper out even without the roll sensor reply", () => {
    expect(parseStatus([CLEAR | 0x08, CLEAR | 0x20]).paper).toBe("out");
  });

  test("missing replies leave their fields unknown", () => {
    expect(parseStatus([CLEAR])).toEqual({ online: true, paper: "unknown", coverOpen: null, drawerOpen: false, error: null });
    const none = parseStatus([]);
    expect(none).toMatchObject({ online: false, paper: "unknown", coverOpen: null, drawerOpen: null });
    expect(none.error).not.toBeNull();
  });

  test("XON/XOFF and automatic status back bytes on the line are skipped", () => {
    // XON 0x11, XOFF 0x13, an ASB block 0x10 0x00 0x00 0x0f, then the three replies
    expect(parseStatus([0x11, 0x10, 0x00, 0x00, 0x0f, CLEAR | 0x04, 0x13, CLEAR, CLEAR | 0x0c])).toEqual({
      online: true,
      paper: "near-end",
      coverOpen: false,
      drawerOpen: true,
      error: null,
    });
  });
});

describe("isStatusReply", () => {
  test("matches exactly the 16 bytes with the fixed DLE EOT bit pattern", () => {
    const matches = Array.from({ length: 256 }, (_, b) => b).filter(isStatusReply);
    expect(matches).toHaveLength(16);
    expect(matches.every((b) => (b & 0x01) === 0 && (b & 0x02) !== 0 && (b & 0x10) !== 0 && (b & 0x80) === 0)).toBe(true);
    expect(isStatusReply(0x11)).toBe(false);
    expect(isStatusReply(0x13)).toBe(false);
  });
});
