// Shared by the transport tests: job bytes of any size, and the PrinterError a failed send ends in.
import { PrinterError } from "../../src/hardware/printers/transport.ts";

/**
 * Deterministic job bytes. `noDle` keeps 0x10 (DLE) out, for a link where the fake printer would read it as the start of
 * a status request.
 */
export function jobBytes(size: number, seed = 1, options: { noDle?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const b = x >>> 24;
    out[i] = options.noDle && b === 0x10 ? 0x11 : b;
  }
  return out;
}

export async function rejection(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PrinterError) return e;
    throw e;
  }
  throw new Error("expected a PrinterError, the promise resolved");
}
