/**
 * DynamoDB's published capacity rules (on-demand request units are charged like provisioned units),
 * as pure functions so that a unit test can pin them:
 * - a standard write (PutItem, UpdateItem, DeleteItem, each item of a BatchWriteItem) costs 1 unit
 *   per started KB of the larger of the item before and after the write;
 * - a transactional write (each action of TransactWriteItems, a ConditionCheck included) costs 2;
 * - a write whose condition fails is still charged, sized by the item as it stands (and, for a put,
 *   the item it would have written);
 * - a read costs 1 unit per started 4 KB of the whole item (a projection does not make it cheaper),
 *   half of that when eventually consistent, and a key that is not found still costs the minimum.
 */
export const WriteAction = {
  put: 'put',
  update: 'update',
  delete: 'delete',
  conditionCheck: 'conditionCheck',
} as const;
export type WriteActionName = (typeof WriteAction)[keyof typeof WriteAction];

export interface WriteCharge {
  readonly action: WriteActionName;
  /** Bytes of the item before the write (0 when it did not exist). */
  readonly oldBytes: number;
  /** Bytes after the write, or of the item a put sends; ignored for a failed condition on an update. */
  readonly newBytes: number;
  readonly transactional: boolean;
  /** The write's condition failed (or its transaction was cancelled): charged, nothing written. */
  readonly failed: boolean;
}

const KB = 1024;

/**
 * Write units of one write by DynamoDB's rules.
 *
 * @example
 * ```ts
 * writeUnits({ action: 'update', oldBytes: 900, newBytes: 1100, transactional: false, failed: false }); // 2
 * ```
 */
export const writeUnits = (charge: WriteCharge): number => {
  let bytes: number;
  if (charge.action === WriteAction.conditionCheck || charge.action === WriteAction.delete)
    bytes = charge.oldBytes;
  else if (charge.failed && charge.action === WriteAction.update) bytes = charge.oldBytes;
  else bytes = Math.max(charge.oldBytes, charge.newBytes);
  const units = Math.max(1, Math.ceil(bytes / KB));
  return charge.transactional ? 2 * units : units;
};

/**
 * Read units of reading one item of `bytes` (0 when not found).
 *
 * @example
 * ```ts
 * readUnits(5000, { consistent: false }); // 1
 * ```
 */
export const readUnits = (bytes: number, options: { readonly consistent: boolean }): number => {
  const units = Math.max(1, Math.ceil(bytes / (4 * KB)));
  return options.consistent ? units : units / 2;
};

/** Read units of a Query returning items of these sizes: the sum is rounded up once, not per item. */
export const queryReadUnits = (
  sizes: readonly number[],
  options: { readonly consistent: boolean },
): number => {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return readUnits(total, options);
};
