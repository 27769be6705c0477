import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ApiError, errorResponse, json } from './http.ts';
import { type ApiDependencies, ROUTES, type Route } from './routes.ts';

/** Resolves a request to its route, or an ApiError (404, 405) that says what exists. */
const resolve = (method: string, path: string, routes: readonly Route[]) => {
  for (const route of routes) {
    const match = route.path.exec(path);
    if (match) {
      if (method !== 'GET' && method !== 'HEAD') {
        throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use GET`);
      }
      return { route, params: match.slice(1) };
    }
  }
  throw new ApiError(
    404,
    'not_found',
    `no route ${path}; routes: ${routes.map((r) => r.template).join(', ')}`,
  );
};

/**
 * Builds the query API handler. One handler serves API Gateway (HTTP API, payload format 2.0) and
 * the local server, which hands it the same event shape.
 *
 * @example
 * ```ts
 * const handler = createApiHandler({ store, catalog, now: Date.now }, logger);
 * await handler({ rawPath: '/health', requestContext: { http: { method: 'GET' } } } as APIGatewayProxyEventV2, context);
 * ```
 */
export const createApiHandler = (
  deps: ApiDependencies,
  logger: Logger,
  routes: readonly Route[] = ROUTES,
) => {
  const lambdaHandler = async (
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyResultV2> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath.length > 1 ? event.rawPath.replace(/\/+$/, '') : event.rawPath;
    try {
      const { route, params } = resolve(method, path, routes);
      return json(200, await route.handle({ params, query: event.queryStringParameters ?? {}, deps }));
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      logger.error('request failed', { path, error: error as Error });
      return errorResponse(new ApiError(500, 'internal_error', 'the request failed; see the function logs'));
    }
  };
  return middy(lambdaHandler).use(injectLambdaContext(logger));
};
