/**
 * The EventBridge `DetailType` values of the Yardstick event contract (v1).
 *
 * @example
 * ```ts
 * if (entry.DetailType === DetailType.usage) { ... }
 * ```
 */
export const DetailType = {
  usage: 'ai.workflow.usage',
  outcome: 'ai.workflow.outcome',
  override: 'ai.workflow.override',
} as const;

export type DetailTypeName = (typeof DetailType)[keyof typeof DetailType];

export const DETAIL_TYPES: readonly DetailTypeName[] = Object.values(DetailType);

export const isDetailType = (value: unknown): value is DetailTypeName =>
  typeof value === 'string' && (DETAIL_TYPES as readonly string[]).includes(value);
