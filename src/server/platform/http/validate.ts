// Request validation with zod: failures become a 400 with the field paths a person can fix.

import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { type ZodType, z } from "zod";
import { Problem } from "../../../domain/kernel/problem.ts";
import { type TextRule, textProblem } from "../../../domain/kernel/text.ts";

type Issue = { path: PropertyKey[]; message: string };

export function describeIssues(issues: readonly Issue[]): { message: string; details: { path: string; message: string }[] } {
  const details = issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
  const first = details[0];
  return { message: first ? `${first.path}: ${first.message}` : "The request is not valid.", details };
}

export const valid = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result, _c) => {
    if (!result.success) {
      const d = describeIssues(result.error.issues);
      throw new Problem("invalid_request", d.message, d.details);
    }
  });

/** A string through the text gate, for zod schemas of forms, JSON and files: bounded, plain, no card number. */
export const gatedText = (max: number, rule: Omit<TextRule, "max"> = {}) =>
  z.string().superRefine((s, ctx) => {
    const problem = textProblem(s, "This text", { ...rule, max });
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
  });
