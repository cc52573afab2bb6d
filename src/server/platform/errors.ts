// The JSON shape of a refusal, for programs: {error: {code, message, details}}.
import type { ProblemCode } from "../../domain/kernel/problem.ts";

export type ErrorBody = { error: { code: ProblemCode; message: string; details?: unknown } };

export function errorBody(code: ProblemCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
