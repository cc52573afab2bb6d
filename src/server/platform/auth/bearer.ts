// `Authorization: Bearer <secret>` for programs: the store's JSON API, head office's sync and API.
import { MAX_SECRET_LENGTH } from "./secrets.ts";

const BEARER = new RegExp(`^Bearer\\s+(\\S{1,${MAX_SECRET_LENGTH}})\\s*$`, "i");

/** The secret a Bearer header carries, or null when the header is missing, of another scheme or too long. */
export function bearerSecret(header: string | undefined): string | null {
  return BEARER.exec(header ?? "")?.[1] ?? null;
}
