// Where a scale may be: a serial port, by the same device rules as serial printers (printers/device-rules.ts). Checked
// when the scale is set up and again at each reading, so neither a path like /dev/../home/x nor a link swapped
// afterwards makes the store open something that is not a serial port.
import { realpathSync, statSync } from "node:fs";
import type { DeviceRules } from "../printers/device-rules.ts";

const EXAMPLE = "/dev/ttyUSB0, /dev/ttyS0, /dev/ttyACM0 or a /dev/serial/by-id/ name";

/** Checked when a scale is set up: why the path will not do (a sentence), or null. A device unplugged now may do. */
export function scalePathProblem(path: string, rules: DeviceRules): string | null {
  if (!rules.paths.serial.some((r) => r.test(path))) return `A scale's path is a serial port such as ${EXAMPLE}; "${path.slice(0, 80)}" is not one`;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null; // unplugged: checked again at each reading
  }
  return rules.devices.serial.some((r) => r.test(real)) ? null : `${path} leads to ${real}, which is not a serial port`;
}

/** Checked at each reading: the device to open (every link followed), or why the store will not open it. */
export function openableScalePort(path: string, rules: DeviceRules): { device: string } | { refused: string } {
  const refused = (why: string) => ({ refused: `The store will not read a scale at ${path}: ${why}. Set the scale up again on the Devices page.` });
  if (!rules.paths.serial.some((r) => r.test(path))) return refused("it is not a serial port's name");
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { device: path }; // not there: opening it says the scale is not connected, and creates nothing
  }
  if (!rules.devices.serial.some((r) => r.test(real))) return refused(`it leads to ${real}, which is not a serial port`);
  try {
    if (!statSync(real).isCharacterDevice()) return refused(`${real} is not a device`);
  } catch {
    return { device: path };
  }
  return { device: real };
}
