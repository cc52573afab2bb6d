// A register's scale from the Devices form or the command line, checked by one zod schema: the register, the serial
// port, its speed and framing. Whether the port passes the device rules is the scales' own check (scales.ts).
import { z } from "zod";
import { type ScaleFraming, scaleFramings } from "../../hardware/scale/protocol.ts";
import { isSerialBaud, type SerialBaud, serialBauds } from "../../hardware/serial-port.ts";
import { refuse } from "../platform/http/form.ts";
import type { NewScale } from "./scales.ts";

const register = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const t = v?.trim() ?? "";
    return /^\d{1,9}$/.test(t) && Number(t) > 0 ? Number(t) : refuse(ctx, "invalid_register", "Choose the register the scale is plugged into.");
  });

export const scaleForm = z
  .object({
    register,
    path: z
      .string()
      .optional()
      .transform((v, ctx) => v?.trim() || refuse(ctx, "invalid_input", "Give the scale's serial port, e.g. /dev/ttyUSB0.", ["path"])),
    baud: z
      .string()
      .optional()
      .transform((v, ctx): SerialBaud => {
        const n = Number(v?.trim() || "9600");
        return isSerialBaud(n) ? n : refuse(ctx, "invalid_input", `The baud rate must be one of ${serialBauds.join(", ")}, as set on the scale.`, ["baud"]);
      }),
    framing: z
      .string()
      .optional()
      .transform((v, ctx): ScaleFraming => {
        const f = (v?.trim() || "7E1").toUpperCase();
        return (scaleFramings as readonly string[]).includes(f)
          ? (f as ScaleFraming)
          : refuse(ctx, "invalid_input", "The framing is 7E1 or 8N1, as set on the scale.", ["framing"]);
      }),
  })
  .transform((f): NewScale => ({ registerId: f.register, path: f.path, baud: f.baud, framing: f.framing }));

export const clearScaleForm = z.object({ register });
