// The shop's logo on receipts: set once, printed above every receipt, scaled to the paper.
import { afterEach, expect, test } from "bun:test";
import { crc32, deflateSync } from "node:zlib";
import { codes, makeTestStore, signIn, type TestStore } from "../../../tests/helpers/store.ts";
import { PngError } from "../../hardware/printers/logo.ts";
import { decodeEscPos } from "../../hardware/virtual/escpos-decoder.ts";
import { virtualPrints } from "../../hardware/virtual/virtual-printer.ts";

let t: TestStore;
afterEach(() => t.close());

/** A small RGB PNG: a dark bar on white, of an awkward size (not a multiple of 8). */
function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), Buffer.from(data)])) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (1 + width * 3), 255);
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0;
    if (y > height / 3 && y < (2 * height) / 3) raw.fill(0, y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3));
  }
  return new Uint8Array(
    Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array())]),
  );
}

test("a logo set for the store prints above the receipt on the virtual printer", async () => {
  t = makeTestStore();
  expect(t.store.printing.setLogo(png(203, 61))).toEqual({ width: 203, height: 61 });
  const lane = await signIn(t.store, 1);
  t.store.till.scan(lane.registerId, codes.milk);
  t.store.till.pay(lane.registerId, { method: "cash", amount: 500 }, lane.userId);
  await t.store.printing.worker.tick();
  const printer = t.store.printing.printers.list().find((p) => p.kind === "virtual")!;
  const [print] = virtualPrints(t.store.db, printer.id);
  const paper = decodeEscPos(print!.bytes);
  const image = paper.events.find((e) => e.type === "image");
  expect(image).toBeDefined();
  expect(paper.lines.some((l) => l.includes("Fresh Milk 1 L"))).toBe(true);
  expect(paper.events.filter((e) => e.type === "image")).toHaveLength(1);
  // scaled to fit 80 mm paper
  expect((image as { width: number }).width).toBeLessThanOrEqual(576);
});

test("a file that is not a PNG is refused with a reason and the old logo stays", () => {
  t = makeTestStore();
  t.store.printing.setLogo(png(16, 16));
  expect(() => t.store.printing.setLogo(new TextEncoder().encode("GIF89a not a png"))).toThrow(PngError);
  const kept = t.store.db.query<{ value: string }, []>("SELECT value FROM settings WHERE key = 'receipt_logo'").get()!.value;
  expect(Buffer.from(kept, "base64").subarray(1, 4).toString()).toBe("PNG");
});
