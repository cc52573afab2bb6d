// shopflow scale set | clear | list | read: a register's checkout scale from the command line, by the Devices page's
// rules (scale-form.ts, the device rules) and with the same audit rows.
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { openShop } from "../compose.ts";
import { scaleForm } from "../devices/scale-form.ts";
import { scaleAddress } from "../devices/scales.ts";
import { UsageError } from "../platform/usage-error.ts";

const commandLine = { userId: null, userName: null, registerName: null };

export async function scaleCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: "string" },
      register: { type: "string" },
      path: { type: "string" },
      baud: { type: "string" },
      framing: { type: "string" },
    },
  });
  const registerId = () => {
    const n = Number(values.register);
    if (!values.register || !Number.isInteger(n) || n <= 0) throw new UsageError(`scale ${sub} needs --register N, the register's number`);
    return n;
  };
  const store = openShop({ dataDir: dataDir(values) });
  try {
    switch (sub) {
      case "set": {
        const form = scaleForm.safeParse({ register: String(registerId()), path: values.path, baud: values.baud, framing: values.framing });
        if (!form.success) throw new UsageError(form.error.issues[0]?.message ?? "the scale is not valid");
        try {
          const s = store.devices.setScale(commandLine, form.data);
          console.log(`${s.registerName} (register ${s.registerId}) weighs on the scale at ${scaleAddress(s)}`);
          return 0;
        } catch (e) {
          if (e instanceof Problem) throw new UsageError(e.message);
          throw e;
        }
      }
      case "clear": {
        const before = store.devices.clearScale(commandLine, registerId());
        console.log(before ? `${before.registerName} has no scale now: its cashiers type the weight` : `register ${values.register} has no scale`);
        return 0;
      }
      case "list": {
        for (const s of store.scales.list()) console.log(`${s.registerId}\t${s.registerName}\t${scaleAddress(s)}`);
        return 0;
      }
      case "read": {
        const r = await store.scales.read(registerId());
        if (!r) throw new UsageError(`register ${values.register} has no scale; set one with 'shopflow scale set'`);
        if (r.ok) {
          console.log(`${(r.grams / 1000).toFixed(3)} kg`);
          return 0;
        }
        console.error(`${r.problem}: ${r.message}`);
        return 1;
      }
      default:
        throw new UsageError(`unknown scale command "${sub ?? ""}"; use set, clear, list or read`);
    }
  } finally {
    store.close();
  }
}
