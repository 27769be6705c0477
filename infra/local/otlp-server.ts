import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { OtlpHandler } from '../../functions/otlp/handler.ts';
import { OtlpLimits } from '../../shared/limits.ts';
import { toHttpApiEvent } from './api-server.ts';

export interface OtlpServerOptions {
  /** 4318, the OTLP/HTTP default, so exporters need no endpoint setting; 0 picks a free port. */
  readonly port: number;
  readonly handler: OtlpHandler;
}

/** The body, or undefined once it exceeds the limit (the rest is drained unread). */
const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= OtlpLimits.maxBodyBytes) chunks.push(chunk as Buffer);
  }
  return size <= OtlpLimits.maxBodyBytes ? Buffer.concat(chunks) : undefined;
};

/**
 * The OTLP/HTTP listener of local mode, on loopback: each request becomes the HTTP API event API
 * Gateway hands the otlp function on AWS (body base64-encoded, as for a binary payload), so local
 * mode runs exactly the function's code.
 *
 * @example
 * ```ts
 * const server = await startOtlpServer({ port: 4318, handler: createOtlpHandler(deps) });
 * ```
 */
export const startOtlpServer = async (options: OtlpServerOptions): Promise<Server> => {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(request);
      if (!body) {
        response.writeHead(413, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ code: 3, message: `the body exceeds ${OtlpLimits.maxBodyBytes} bytes` }),
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      const event = {
        ...toHttpApiEvent(request.method ?? 'POST', url, headers),
        body: body.toString('base64'),
        isBase64Encoded: true,
      };
      const result = await options.handler(event);
      const payload = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
      response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined);
      response.end(payload);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 13, message: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return server;
};
