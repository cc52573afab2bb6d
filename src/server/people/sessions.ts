// Sign-in sessions and paired devices. Cookies carry random secrets; the database keeps only their hashes.
import type { Database } from "bun:sqlite";
import { randomSecret, sha256Hex } from "../platform/auth/secrets.ts";
import { newSession, type SessionPolicy, sessionCutoffs, sessionIdHash } from "../platform/auth/sessions.ts";

/** How stale a session's last-seen time may get before a request writes it again. */
const TOUCH_EVERY_MS = 60_000;
export const IDLE_MINUTES = 15;
export const ABSOLUTE_HOURS = 12;
const POLICY: SessionPolicy = { idleMinutes: IDLE_MINUTES, absoluteHours: ABSOLUTE_HOURS };

export type Session = { userId: number; deviceId: number | null; csrf: string; createdAt: string };
export type Device = { id: number; registerId: number; registerName: string };

export function sessionRecords(db: Database) {
  const find = db.query<{ user_id: number; device_id: number | null; csrf: string; created_at: string; last_seen_at: string }, [string]>(
    "SELECT s.user_id, s.device_id, s.csrf, s.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.ended_at IS NULL AND u.disabled = 0",
  );
  const touch = db.query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?");
  const end = db.query("UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL");
  const device = db.query<{ id: number; register_id: number; name: string }, [string]>(
    "SELECT d.id, d.register_id, r.name FROM devices d JOIN registers r ON r.id = d.register_id WHERE d.token_hash = ? AND d.revoked_at IS NULL",
  );

  return {
    /** A new session at every sign-in: a cookie set before sign-in is never promoted. */
    start(userId: number, deviceId: number | null, at: string): { cookie: string; csrf: string } {
      const { cookie, idHash, csrf } = newSession();
      db.query("INSERT INTO sessions(id_hash, user_id, device_id, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)").run(
        idHash,
        userId,
        deviceId,
        csrf,
        at,
        at,
      );
      return { cookie, csrf };
    },
    /** The live session of a cookie, or null when it is unknown, ended, idle too long or too old. */
    get(cookie: string | undefined, now: Date): Session | null {
      const id = sessionIdHash(cookie);
      const r = id ? find.get(id) : null;
      if (!id || !r) return null;
      const { idleSince, bornAfter } = sessionCutoffs(POLICY, now);
      if (Date.parse(r.last_seen_at) < idleSince.getTime() || Date.parse(r.created_at) < bornAfter.getTime()) {
        end.run(now.toISOString(), id);
        return null;
      }
      // seen again: written at most once a minute, so a page's every fragment is not a disk sync (the idle limit is
      // counted in minutes; a minute of slack in it changes nothing a person notices)
      if (now.getTime() - Date.parse(r.last_seen_at) >= TOUCH_EVERY_MS) touch.run(now.toISOString(), id);
      return { userId: r.user_id, deviceId: r.device_id, csrf: r.csrf, createdAt: r.created_at };
    },
    end(cookie: string | undefined, at: string): void {
      const id = sessionIdHash(cookie);
      if (id) end.run(at, id);
    },
    pair(registerId: number, managerId: number, at: string): string {
      const token = randomSecret();
      db.query("INSERT INTO devices(register_id, token_hash, paired_by, paired_at) VALUES (?, ?, ?, ?)").run(registerId, sha256Hex(token), managerId, at);
      return token;
    },
    device(token: string | undefined): Device | null {
      if (!token || token.length > 100) return null;
      const r = device.get(sha256Hex(token));
      return r ? { id: r.id, registerId: r.register_id, registerName: r.name } : null;
    },
  };
}

export type SessionRecords = ReturnType<typeof sessionRecords>;
