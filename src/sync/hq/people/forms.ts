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

/** An admin changes a person's role. */
export const roleForm = z.object({ role: z.string().default("") });

/** An admin resets a password: both boxes empty makes one to show once; otherwise typed twice, alike. */
export const resetForm = z
  .object({ password: z.string().default(""), password2: z.string().default("") })
  .superRefine((f, ctx) => {
    if (f.password !== f.password2) ctx.addIssue({ code: "custom", path: ["password2"], message: "The two passwords differ; type the same one twice." });
  })
  .transform((f) => (f.password === "" ? null : f.password));

/** A person's own new password: the current one, and the new one twice. */
export const ownPasswordForm = z
  .object({ current: z.string().default(""), password: z.string().default(""), password2: z.string().default("") })
  .superRefine((f, ctx) => {
    if (f.password !== f.password2) ctx.addIssue({ code: "custom", path: ["password2"], message: "The two new passwords differ; type the same one twice." });
  });

const storeField = /^store:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The stores a person is limited to: `which` is "all" (every store) or "some", with a ticked box `store:<id>` per store
 * (a name each: a form never repeats a field). Null means every store.
 */
export function storesOfForm(form: Record<string, string>): string[] | null {
  if (form.which !== "some") return null;
  return Object.keys(form).flatMap((k) => {
    const m = storeField.exec(k);
    return m && form[k] ? [m[1]!.toLowerCase()] : [];
  });
}
