// The store price form: every field is checked by price-lists.ts, beside the checks that need the database.
import { z } from "zod";

export const storePriceForm = z.object({ store_id: z.string().optional(), sku: z.string().optional(), price: z.string().optional() });
