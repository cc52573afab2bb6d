import { z } from "zod";
import { ed25519PublicKey } from "../server/platform/journal-signature.ts";

// What a store tells head office about itself (PUT /sync/v1/store-facts), when it starts and whenever they change:
// the time zone of its calendar (head office's hour-of-week report reads each store's own clock) and the public half of
// the key that signs its journal's closures (head office checks each closure's signature with it).
export const STORE_FACTS_PATH = "/sync/v1/store-facts";

/** An IANA zone name (Europe/Paris, America/New_York, UTC): a name, never an offset, that this runtime knows. */
export function isTimeZoneName(name: string): boolean {
  if (name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Each field with its own check: head office answers each with its own code and sentence. */
export const storeFactsFields = {
  time_zone: z.string().refine(isTimeZoneName, "must be an IANA time zone name like Europe/Paris"),
  journal_key: z
    .string()
    .refine((pem) => ed25519PublicKey(pem) !== null, "must be an Ed25519 public key as PEM (BEGIN PUBLIC KEY)")
    .optional(),
};
export const storeFacts = z.strictObject(storeFactsFields);
export type StoreFacts = z.infer<typeof storeFacts>;
