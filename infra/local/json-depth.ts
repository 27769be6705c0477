/**
 * The deepest nesting of objects and arrays in a JSON text, found by scanning rather than parsing
 * so that a hostile 20,000-level document costs one pass and no stack.
 *
 * @example
 * ```ts
 * jsonDepth('{"a":[1,{"b":2}]}'); // 3
 * jsonDepth('"[[["'); // 0: brackets inside strings do not count
 * ```
 */
export const jsonDepth = (text: string): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return deepest;
};
