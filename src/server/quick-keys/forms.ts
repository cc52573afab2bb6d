// The forms of the Quick keys page, read through the text gate by validForm: what each field must be, in a sentence.
import { z } from "zod";
import { saying } from "../platform/http/form.ts";
import { MAX_PAGE_NAME } from "./actions.ts";

/** The longest search the page's field takes (its maxlength). */
const MAX_SEARCH = 100;

export const pageForm = z.object({ name: saying(MAX_PAGE_NAME, `Give the page a name of 1 to ${MAX_PAGE_NAME} characters.`, "invalid_name") });

export const keyForm = z.object({
  product_id: z
    .string({ error: "Choose a product from the search results." })
    .regex(/^[1-9][0-9]{0,11}$/, { error: "Choose a product from the search results." })
    .transform(Number),
  // the search the product was found by, to show its results again
  q: z
    .string({ error: "Search for the product again." })
    .max(MAX_SEARCH, { error: `Search with at most ${MAX_SEARCH} characters, then choose the product again.` })
    .default(""),
});

export const moveForm = z.object({ to: z.enum(["up", "down"], { error: "Move a key up or down." }) });

export const deleteForm = z.object({ confirm: z.literal("1", { error: "Tick the box to say the page is to be deleted, with its keys." }) });
