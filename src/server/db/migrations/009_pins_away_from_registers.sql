-- Wrong PINs typed away from the registers (sign-in on a browser that is no register, pairing) are counted apart from
-- those typed at a register: a stranger on the LAN can lock a person out of the back office for 15 minutes, never out
-- of the till. Each count is still one statement, and five lock.
ALTER TABLE users ADD COLUMN away_failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN away_locked_until TEXT;
