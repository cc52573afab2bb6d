// The registers' checkout scales on the Devices page: which register weighs on which serial port, set, read, removed.
import { Csrf, PostButton } from "../ui/card.tsx";

export type ScaleRow = { registerId: number; registerName: string; address: string };
export type RegisterChoice = { id: number; name: string };

const BAUDS = [9600, 19200, 38400, 57600, 115200];

export function ScalesSection({ scales, registers, serial }: { scales: ScaleRow[]; registers: RegisterChoice[]; serial: string[] }) {
  return (
    <section class="scales" data-testid="scales">
      <h2>Scales</h2>
      <p>
        A checkout scale on a serial port, one per register, speaking the Toledo 8213 protocol (the register asks with “W”) in kilograms. When a register has
        one, weighing an item reads it; the cashier can always type the weight instead.
      </p>
      {scales.length > 0 ? (
        <table class="grid" data-testid="scale-list">
          <thead>
            <tr>
              <th>Register</th>
              <th>Connection</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {scales.map((s) => (
              <tr data-testid="scale-row">
                <td>{s.registerName}</td>
                <td>{s.address}</td>
                <td class="row-actions">
                  <a class="button" href={`/devices/scales/${s.registerId}/reading`} data-testid="scale-read">
                    Read the scale
                  </a>
                  <PostButton action={`/devices/scales/${s.registerId}/clear`} label="Remove" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="no-scales">No register has a scale: cashiers type the weight of weighed items.</p>
      )}
      <h3>Set a register's scale</h3>
      {registers.length === 0 ? (
        <p>Pair a register first.</p>
      ) : (
        <form method="post" action="/devices/scales" class="add-printer" data-testid="scale-form">
          <Csrf />
          <label>
            Register
            <select name="register">
              {registers.map((r) => (
                <option value={String(r.id)}>{r.name}</option>
              ))}
            </select>
          </label>
          <label>
            Serial port
            <input name="path" list="scale-ports" required placeholder="/dev/ttyUSB0" />
            <datalist id="scale-ports">
              {serial.map((d) => (
                <option value={d} />
              ))}
            </datalist>
          </label>
          <label>
            Baud
            <select name="baud">
              {BAUDS.map((b) => (
                <option value={String(b)}>{b}</option>
              ))}
            </select>
          </label>
          <label>
            Framing
            <select name="framing">
              <option value="7E1">7 data bits, even parity (7E1)</option>
              <option value="8N1">8 data bits, no parity (8N1)</option>
            </select>
          </label>
          <button type="submit" class="primary">
            Set scale
          </button>
        </form>
      )}
    </section>
  );
}
