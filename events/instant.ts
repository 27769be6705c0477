/**
 * The contract accepts `occurredAt` as `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, so one instant has many
 * spellings: `…:00Z`, `…:00.0Z`, `…:00.000Z`, `…:00.000000Z`. A producer that re-sends an event may
 * format it differently (another library, another language), and the re-send must still be the same
 * event. The canonical spelling is what `Date.prototype.toISOString` writes (milliseconds, always three
 * digits), extended only when the producer sent finer digits that are not zero, so that two instants
 * a microsecond apart never collapse into one.
 */
const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/**
 * The canonical spelling of a contract instant; anything that is not one is returned unchanged (the
 * schema has refused it already).
 *
 * @example
 * ```ts
 * canonicalInstant('2026-11-23T10:15:00Z'); // '2026-11-23T10:15:00.000Z'
 * canonicalInstant('2026-11-23T10:15:00.5000Z'); // '2026-11-23T10:15:00.500Z'
 * canonicalInstant('2026-11-23T10:15:00.000001Z'); // '2026-11-23T10:15:00.000001Z'
 * ```
 */
export const canonicalInstant = (iso: string): string => {
  const match = INSTANT.exec(iso);
  if (!match) return iso;
  const significant = (match[2] ?? '').replace(/0+$/, '');
  return `${match[1]}.${significant.padEnd(3, '0')}Z`;
};
