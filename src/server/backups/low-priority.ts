// The backup thread gives way to the registers: on Linux it lowers its own CPU priority (nice 19) and asks for idle
// disk priority (honoured by the BFQ and CFQ schedulers), so a sale's transaction is never queued behind the copy.
// Elsewhere, or when the calls are missing, it does nothing: the backup still runs, only without the courtesy.
import { dlopen, FFIType } from "bun:ffi";

const IOPRIO_SET: Record<string, bigint> = { x64: 251n, arm64: 30n };
const IOPRIO_WHO_PROCESS = 1n;
const IOPRIO_CLASS_IDLE = BigInt(3 << 13);

/** Lower the calling thread's priority; true when it was lowered. */
export function lowerThisThreadsPriority(): boolean {
  if (process.platform !== "linux") return false;
  try {
    const libc = dlopen("libc.so.6", {
      gettid: { args: [], returns: FFIType.i32 },
      setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 },
      syscall: { args: [FFIType.i64, FFIType.i64, FFIType.i64, FFIType.i64], returns: FFIType.i64 },
    });
    try {
      const tid = libc.symbols.gettid();
      const niced = libc.symbols.setpriority(0, tid, 19) === 0;
      const ioprio = IOPRIO_SET[process.arch];
      if (ioprio !== undefined) libc.symbols.syscall(ioprio, IOPRIO_WHO_PROCESS, BigInt(tid), IOPRIO_CLASS_IDLE);
      return niced;
    } finally {
      libc.close();
    }
  } catch {
    return false;
  }
}
