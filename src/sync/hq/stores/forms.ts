// The store pages' forms as zod schemas.

import { z } from "zod";
import { saying } from "../../../server/platform/http/form.ts";

/** Registering a store: its name. */
export const newStoreForm = z.object({ name: saying(100, "A store name of 1 to 100 characters, please.") });

/** Accepting a store's restored database: the epoch seen, and the box ticked to say it was restored on purpose. */
export const acceptEpochForm = z.object({ epoch: z.string().default(""), confirm: z.literal("1") });
