import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { YardstickError } from '../../shared/errors.ts';

/** An API error that becomes `{ "error": { "code", "message" } }` with its status. */
export class ApiError extends YardstickError {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const BadRequestError = (code: string, message: string) => new ApiError(400, code, message);

export const json = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

export const errorResponse = (error: ApiError): APIGatewayProxyResultV2 =>
  json(error.statusCode, { error: { code: error.code, message: error.message } });
