// How the register's routes answer a refused action: the reason in the message line (register.js moves it into the
// open dialog when the action came from one) with a beep, and nothing changed. Shared by selling and returns.
import type { ErrorHandler } from "hono";
import { Message } from "../../views/selling/sale.tsx";
import { asProblem } from "../platform/http/errors.ts";
import { statusOf } from "../platform/http/problems.ts";

export const refusedAtTheRegister: ErrorHandler = (err, c) => {
  const e = asProblem(err);
  if (!e) throw err;
  c.header("HX-Retarget", "#message");
  c.header("HX-Reswap", "outerHTML");
  c.header("HX-Trigger", JSON.stringify({ "till-error": { code: e.code } }));
  return c.html(<Message text={e.message} kind="error" code={e.code} />, statusOf[e.code]);
};
