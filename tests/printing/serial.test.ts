// A receipt through a serial printer: the bytes cross a software null-modem cable (socat) and are read at the far end.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { realpathSync } from "node:fs";
import { renderJob } from "../../src/hardware/printers/render-job.ts";
import { statusRequest } from "../../src/hardware/printers/status.ts";
import { openPtyPair, type PtyPair, ptyDeviceRules } from "../helpers/pty.ts";
import { codes, makeTestStore, type TestStore } from "../helpers/store.ts";
import { eventsOf, jobsOfSale, openRegister, paper, printerSpec, row, sell } from "./support.ts";

/** The bytes less the DLE EOT 1/2/4 requests sent between jobs: those ask, they print nothing. */
function withoutStatusRequests(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (statusRequest.every((b, k) => bytes[i + k] === b)) {
      i += statusRequest.length - 1;
      continue;
    }
    out.push(bytes[i]!);
  }
  return Uint8Array.from(out);
}

let t: TestStore;
let pty: PtyPair;
beforeEach(async () => {
  t = makeTestStore({ deviceRules: ptyDeviceRules });
  pty = await openPtyPair();
});
afterEach(async () => {
  await t.store.printing.worker.stop();
  await pty.close();
  t.close();
});

test("a cash sale prints on a serial printer at 9600 baud: the receipt with the drawer pulse and the cut", async () => {
  // a printer port lives under /dev: the pty socat made, not the link to it in the temp dir
  const printer = t.store.printing.printers.add(
    printerSpec({ name: "Serial", kind: "serial", path: realpathSync(pty.printerSide), baud: 9600 }),
    t.clock.now().toISOString(),
  );
  const register = await openRegister(t);
  const sold = await sell(t, register, [codes.wine], { method: "cash", amount: "15" });
  await t.store.printing.worker.tick();

  const [job] = jobsOfSale(t, sold.saleId);
  expect(job).toMatchObject({ kind: "receipt", state: "printed" });
  const receipt = renderJob(t.store.printing.queue.byId(job!.id)!, printer);

  // the printer end gets status questions (this cable carries no answer back) and, in one piece, exactly the receipt
  await pty.waitFor(statusRequest.length + receipt.length);
  await Bun.sleep(50);
  const arrived = withoutStatusRequests(pty.read());
  expect(arrived).toEqual(receipt);

  const p = paper(pty.read());
  expect(p.lines[0]).toMatch(/^ +ShopFlow Store$/);
  expect(p.text).toMatch(row("Receipt", sold.receiptNumber));
  expect(p.text).toMatch(row("Rioja Crianza 0.75 L", "12.99"));
  expect(p.text).toMatch(row("TOTAL", "€12.99"));
  expect(p.text).toMatch(row("Cash", "15.00"));
  expect(p.text).toMatch(row("Change", "2.01"));
  expect(eventsOf(p, "barcode")).toEqual([{ type: "barcode", symbology: "code128", data: sold.receiptNumber }]);
  expect(eventsOf(p, "pulse")).toEqual([{ type: "pulse", pin: 2 }]);
  expect(p.events.at(-1)).toEqual({ type: "cut" });
});
