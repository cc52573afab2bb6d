// The store pages' forms as zod schemas.

import { z } from "zod";
import { saying } from "../../../server/platform/http/form.ts";

/** Registering a store: its name. */
export const newStoreForm = z.object({ name: saying(100, "A store name of 1 to 100 characters, please.") });

/**
 * Accepting a store's restored database: the epoch seen, and the box ticked to say it was restored on purpose.
 * `reviewed`: sent from the store's page, where what will be merged is shown (from elsewhere, that page comes first);
 * `retire_live`: the admin says the server still sending under the current epoch is stopped.
 */
export const acceptEpochForm = z.object({
  epoch: z.string().default(""),
  confirm: z.literal("1"),
  reviewed: z.literal("1").optional(),
  retire_live: z.literal("1").optional(),
});

/** Moving a store to another installation (its server replaced): the installation seen, and the box ticked. */
export const moveInstallationForm = z.object({
  installation: z.string().min(1, { error: "Say which installation: the one the store's page shows." }).max(200),
  confirm: z.literal("1", { error: "Not moved: tick the box to say this server replaces the store's server." }),
});
