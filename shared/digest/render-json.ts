import type { DigestModel } from './model.ts';

/**
 * The digest as JSON, the same model the API serves at `GET /digest`.
 *
 * @example
 * ```ts
 * JSON.parse(renderDigestJson(digest)).workflows[0].verdict; // 'scale'
 * ```
 */
export const renderDigestJson = (digest: DigestModel): string => `${JSON.stringify(digest, null, 2)}\n`;
