// Where a forest plot row's marks sit, as numbers only (no DOM), so a unit test can check the scale.

/** Where a row's marks sit, in percent of its width. */
export interface BarGeometry {
  readonly zero: number;
  readonly low: number;
  readonly high: number;
  readonly estimate: number;
}

/**
 * The marks of one interval on a scale centred on zero, wide enough for both ends; each row has its
 * own scale, since minutes, points and dollars share no axis.
 *
 * @example
 * ```ts
 * barGeometry({ estimate: -4, low95: -5, high95: -3 }); // { zero: 50, low: 5, high: 23, estimate: 14 }
 * ```
 */
export const barGeometry = (interval: {
  readonly estimate: number;
  readonly low95: number;
  readonly high95: number;
}): BarGeometry => {
  const extent =
    Math.max(Math.abs(interval.low95), Math.abs(interval.high95), Math.abs(interval.estimate)) || 1;
  // A 5 % margin on each side keeps the ends' marks inside the box.
  const at = (x: number) => Math.round((50 + (x / extent) * 45) * 100) / 100;
  return { zero: 50, low: at(interval.low95), high: at(interval.high95), estimate: at(interval.estimate) };
};
