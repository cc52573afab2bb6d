// The people pages' forms as zod schemas, and the one way head office's pages turn a schema's issues into the
// sentences shown beside each field.

import { z } from "zod";
import { saying } from "../../../server/platform/http/form.ts";
import { checkNewUser, UserRefused } from "./users.ts";

/** Field name → the sentence shown beside it: the first issue of each field, all fields at once. */
export function fieldProblems(error: z.ZodError): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const issue of error.issues) problems[String(issue.path[0] ?? "form")] ??= issue.message;
  return problems;
}

/** Every sentence checkNewUser has for a new user, each as an issue on its field. */
const userChecks = (user: { name: string; role: string; password: string }, ctx: z.RefinementCtx) => {
  for (const [field, message] of Object.entries(checkNewUser(user))) ctx.addIssue({ code: "custom", path: [field], message });
};

/** A new user's fields from the form, or UserRefused with every field's sentence at once. */
export function checkedUser<S extends z.ZodType>(schema: S, form: Record<string, string>): z.output<S> {
  const r = schema.safeParse(form);
  if (!r.success) throw new UserRefused(fieldProblems(r.error));
  return r.data;
}

/** First run: the admin's name and password. */
export const setupForm = z
  .object({ name: z.string().default(""), password: z.string().default("") })
  .superRefine((f, ctx) => userChecks({ ...f, role: "admin" }, ctx));

/** An admin adds a user. */
export const newUserForm = z.object({ name: z.string().default(""), role: z.string().default(""), password: z.string().default("") }).superRefine(userChecks);

/** Sign-in: what was typed is checked by signIn, never here; `next` is made safe by the route. */
export const loginForm = z.object({ name: z.string().optional(), password: z.string().default(""), next: z.string().optional() });

/** A new API token: a name saying who or what uses it. */
export const tokenForm = z.object({ name: saying(60, "Give the token a name of 1 to 60 characters: who or what uses it.") });
