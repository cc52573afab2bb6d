// Errors that reach a person: a code a program can act on and a sentence a person can act on.
import type { SaleError } from "../../domain/sale/sale.ts";

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 423 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const saleErrorStatus: Record<string, 404 | 409 | 422> = {
  sale_not_found: 404,
  line_not_found: 404,
  payment_not_found: 404,
  sale_not_open: 409,
  sale_not_parked: 409,
  sale_exists: 409,
  sale_has_payments: 409,
  sale_has_card_payments: 409,
  insufficient_stock: 409,
};

export function fromSaleError(e: SaleError): AppError {
  return new AppError(saleErrorStatus[e.code] ?? 422, e.code, e.message, e.details);
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
