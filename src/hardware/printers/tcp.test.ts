import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { type FakePrinter, startFakePrinter } from "../../../tests/helpers/fake-printer.ts";
import { jobBytes as makeJob, rejection } from "../../../tests/helpers/printer-jobs.ts";
import { tcpTransport } from "./tcp.ts";

/** Receipt-like bytes with no DLE (0x10) in them, so no run of them can read as a status request. */

const jobBytes = (size: number, seed = 1) => makeJob(size, seed, { noDle: true });

let printer: FakePrinter;
beforeEach(() => {
  printer = startFakePrinter();
});
afterEach(() => printer.stop());

const transport = (extra: Partial<Parameters<typeof tcpTransport>[0]> = {}) => tcpTransport({ host: printer.host, port: printer.port, ...extra });

describe("tcpTransport sending", () => {
  test("a receipt arrives byte for byte", async () => {
    const t = transport();
    const bytes = new TextEncoder().encode("\x1b@Hello shop\n\x1dV\x00");
    await t.send(bytes);
    await t.close();
    expect(printer.jobs()).toEqual([bytes]);
    expect(t.description).toBe(`tcp ${printer.host}:${printer.port}`);
  });

  test("a 200 KB job (a big logo) arrives exactly", async () => {
    const t = transport();
    const bytes = jobBytes(200 * 1024);
    await t.send(bytes);
    expect(printer.received().length).toBe(bytes.length);
    expect(printer.received()).toEqual(bytes);
  });

  test("a 16 MB job goes through the backpressure path and still arrives exactly", async () => {
    const bytes = jobBytes(16 * 1024 * 1024, 7);
    await transport().send(bytes);
    expect(printer.received()).toEqual(bytes);
  });

  test("each job is its own connection, in order", async () => {
    const t = transport();
    const a = jobBytes(1000, 2);
    const b = jobBytes(3000, 3);
    await t.send(a);
    await t.send(b);
    expect(printer.jobs()).toEqual([a, b]);
  });

  test("a DLE that is not a status request is printed as it is", async () => {
    const bytes = Uint8Array.of(0x41, 0x10, 0x42, 0x10, 0x04, 0x09, 0x10);
    await transport().send(bytes);
    expect(printer.received()).toEqual(bytes);
  });

  test("a printer that refuses connections is offline", async () => {
    printer.refuse(true);
    const e = await rejection(transport().send(jobBytes(10)));
    expect(e.code).toBe("offline");
    expect(e.message).toContain("refused");
    printer.refuse(false);
    await transport().send(jobBytes(10));
    expect(printer.jobs()).toHaveLength(1);
  });

  test("a connection dropped mid-job rejects", async () => {
    printer.dropAfter(1000);
    const e = await rejection(transport().send(jobBytes(200 * 1024)));
    expect(e.code).toBe("io");
    expect(e.message).toContain("dropped");
    expect(printer.received().length).toBe(1000);
  });

  test("a small job dropped mid-way rejects too", async () => {
    printer.dropAfter(10);
    const e = await rejection(transport().send(jobBytes(50)));
    expect(e.message).toContain("dropped");
  });

  test("a printer that stops reading times out", async () => {
    const stalled: Server = createServer({ pauseOnConnect: true }, () => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const address = stalled.address();
    if (!address || typeof address === "string") throw new Error("no port");
    try {
      const t = tcpTransport({ host: "127.0.0.1", port: address.port, writeTimeoutMs: 300 });
      const e = await rejection(t.send(new Uint8Array(32 * 1024 * 1024))); // more than any socket buffers hold
      expect(e.code).toBe("timeout");
    } finally {
      stalled.close();
    }
  });

  test("a closed transport refuses work", async () => {
    const t = transport();
    await t.close();
    expect((await rejection(t.send(jobBytes(5)))).code).toBe("io");
  });
});

describe("tcpTransport status", () => {
  test("a ready printer", async () => {
    expect(await transport().status()).toEqual({ online: true, paper: "ok", coverOpen: false, drawerOpen: false, error: null });
  });

  test("paper out", async () => {
    printer.setState({ paper: "out" });
    expect(await transport().status()).toMatchObject({ online: false, paper: "out", error: expect.stringContaining("Paper out") });
  });

  test("paper near end", async () => {
    printer.setState({ paper: "near-end" });
    expect(await transport().status()).toMatchObject({ online: true, paper: "near-end", error: null });
  });

  test("cover open", async () => {
    printer.setState({ coverOpen: true });
    expect(await transport().status()).toMatchObject({ online: false, coverOpen: true, error: expect.stringContaining("cover") });
  });

  test("drawer open", async () => {
    printer.setState({ drawerOpen: true });
    expect(await transport().status()).toMatchObject({ online: true, drawerOpen: true });
  });

  test("status requests are not printed bytes", async () => {
    await transport().status();
    expect(printer.received().length).toBe(0);
    expect(printer.jobs()).toEqual([]);
    expect(printer.connections()).toBe(1);
  });

  test("an unreachable printer reads as offline with a reason", async () => {
    printer.refuse(true);
    const s = await transport().status();
    expect(s).toMatchObject({ online: false, paper: "unknown", coverOpen: null, drawerOpen: null });
    expect(s?.error).toContain("refused");
  });

  test("a printer that never answers: status is null and jobs still go through", async () => {
    const got: Uint8Array[] = [];
    const silent = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: { binaryType: "uint8array", data: (_s, d) => void got.push(d.slice()), end: (s) => void s.end() },
    });
    try {
      const t = tcpTransport({ host: "127.0.0.1", port: silent.port, statusTimeoutMs: 150 });
      expect(await t.status()).toBeNull();
      const job = jobBytes(500, 9);
      await t.send(job); // learnt from status(): no receipt check is sent, so no wait for one
      // send() resolves once the kernel has the bytes; give the loopback a moment to deliver them
      for (let i = 0; i < 100 && Buffer.concat(got).length < 9 + 500; i++) await Bun.sleep(10);
      expect(Buffer.concat(got)).toEqual(Buffer.concat([Buffer.from([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]), job]));
    } finally {
      silent.stop(true);
    }
  });
});
