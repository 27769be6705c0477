import { createServer, type Server } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.ts';

export type ApiLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A page or asset served beside the API in local mode (the ops view). */
export interface StaticResponse {
  readonly contentType: string;
  readonly body: string | Buffer;
}

export interface ApiServerOptions {
  readonly port: number;
  readonly handler: ApiLambda;
  /** Paths answered without the handler, e.g. `/` for the ops page. */
  readonly staticRoutes?: Readonly<Record<string, () => StaticResponse | Promise<StaticResponse>>>;
}

/** The HTTP API payload (format 2.0) API Gateway would hand the function for a request. */
export const toHttpApiEvent = (
  method: string,
  url: URL,
  headers: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
};

/** The request's URL, or undefined when its Host header or path cannot form one (e.g. `Host: [::1`). */
const requestUrl = (path: string | undefined, host: string | undefined): URL | undefined => {
  try {
    return new URL(path ?? '/', `http://${host ?? '127.0.0.1'}`);
  } catch {
    return undefined;
  }
};

/**
 * Serves the query API on loopback through the same handler API Gateway invokes on AWS.
 *
 * @example
 * ```ts
 * const server = await startApiServer({ port: 4000, handler: apiHandler });
 * ```
 */
export const startApiServer = async (options: ApiServerOptions): Promise<Server> => {
  const server = createServer(async (request, response) => {
    try {
      const url = requestUrl(request.url, request.headers.host);
      if (!url) {
        // A malformed Host header or path is the client's mistake, as API Gateway would say.
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 'invalid_request', message: 'Malformed Host header or path.' } }),
        );
        return;
      }
      const staticRoute = options.staticRoutes?.[url.pathname];
      if (staticRoute && request.method === 'GET') {
        const page = await staticRoute();
        response.writeHead(200, { 'content-type': page.contentType, 'cache-control': 'no-store' });
        response.end(page.body);
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      const result = await options.handler(
        toHttpApiEvent(request.method ?? 'GET', url, headers),
        localLambdaContext('yardstick-api'),
      );
      const structured = typeof result === 'object' ? result : { statusCode: 200, body: String(result) };
      response.writeHead(
        structured.statusCode ?? 200,
        structured.headers as Record<string, string> | undefined,
      );
      response.end(request.method === 'HEAD' ? undefined : structured.body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'internal_error', message: (error as Error).message } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return server;
};
