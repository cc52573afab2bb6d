// The registers' checkout scales: one per register at most, kept in SQLite, and read when the till weighs an item.
import type { Database } from "bun:sqlite";
import { Problem } from "../../domain/kernel/problem.ts";
import type { DeviceRules } from "../../hardware/printers/device-rules.ts";
import type { ScaleFraming, ScaleReading } from "../../hardware/scale/protocol.ts";
import { scalePathProblem } from "../../hardware/scale/scale-path.ts";
import { type Scale, serialScale } from "../../hardware/scale/serial-scale.ts";
import type { SerialBaud } from "../../hardware/serial-port.ts";

export type ScaleSetting = { registerId: number; registerName: string; path: string; baud: SerialBaud; framing: ScaleFraming; setAt: string };
export type NewScale = { registerId: number; path: string; baud: SerialBaud; framing: ScaleFraming };

type Row = { register_id: number; register_name: string; path: string; baud: SerialBaud; framing: ScaleFraming; set_at: string };

const toSetting = (r: Row): ScaleSetting => ({
  registerId: r.register_id,
  registerName: r.register_name,
  path: r.path,
  baud: r.baud,
  framing: r.framing,
  setAt: r.set_at,
});

/** "/dev/ttyUSB0 @ 9600 7E1": where a scale is, as the Devices page and the command line say it. */
export const scaleAddress = (s: Pick<ScaleSetting, "path" | "baud" | "framing">) => `${s.path} @ ${s.baud} ${s.framing}`;

export function scales(db: Database, rules: DeviceRules) {
  const select = "SELECT s.register_id, r.name AS register_name, s.path, s.baud, s.framing, s.set_at FROM scales s JOIN registers r ON r.id = s.register_id";
  const all = db.query<Row, []>(`${select} ORDER BY r.name`);
  const one = db.query<Row, [number]>(`${select} WHERE s.register_id = ?`);
  const register = db.query<{ id: number; name: string }, [number]>("SELECT id, name FROM registers WHERE id = ?");
  const upsert = db.query(
    `INSERT INTO scales(register_id, path, baud, framing, set_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(register_id) DO UPDATE SET path = excluded.path, baud = excluded.baud, framing = excluded.framing, set_at = excluded.set_at`,
  );
  const remove = db.query("DELETE FROM scales WHERE register_id = ?");
  const paired = db.query<{ id: number; name: string }, []>(
    "SELECT id, name FROM registers WHERE id IN (SELECT register_id FROM devices WHERE revoked_at IS NULL) OR id IN (SELECT register_id FROM scales) ORDER BY name",
  );
  // one driver per port, made again when its speed or framing changes: a driver asks one question at a time
  const drivers = new Map<string, { key: string; scale: Scale }>();

  const forRegister = (registerId: number): ScaleSetting | null => {
    const r = one.get(registerId);
    return r ? toSetting(r) : null;
  };

  return {
    list: (): ScaleSetting[] => all.all().map(toSetting),
    /** The registers a scale may be plugged into: the paired ones (and any that has a scale already). */
    registers: (): { id: number; name: string }[] => paired.all(),
    forRegister,

    /** Set (or change) a register's scale, inside the caller's transaction. Refused: a register that is not there, a path outside the device rules. */
    set(s: NewScale, at: string): ScaleSetting {
      if (!register.get(s.registerId)) throw new Problem("register_not_found", `There is no register number ${s.registerId}: pair the register first.`);
      const problem = scalePathProblem(s.path, rules);
      if (problem) throw new Problem("invalid_input", `${problem}.`, { field: "path" });
      upsert.run(s.registerId, s.path, s.baud, s.framing, at);
      return forRegister(s.registerId)!;
    },

    /** The register weighs by hand again; the setting it had, or null when it had none. */
    clear(registerId: number): ScaleSetting | null {
      const before = forRegister(registerId);
      if (before) remove.run(registerId);
      return before;
    },

    /** One reading of the register's scale; null when the register has none. Changes nothing in the store. */
    async read(registerId: number): Promise<ScaleReading | null> {
      const s = forRegister(registerId);
      if (!s) return null;
      const key = `${s.baud} ${s.framing}`;
      let driver = drivers.get(s.path);
      if (driver?.key !== key) {
        driver = { key, scale: serialScale({ path: s.path, baud: s.baud, framing: s.framing, rules }) };
        drivers.set(s.path, driver);
      }
      return driver.scale.read();
    },
  };
}

export type Scales = ReturnType<typeof scales>;
