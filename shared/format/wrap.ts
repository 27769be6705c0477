/** Plain-text layout for mail clients that do not reflow. */

export const TEXT_WIDTH = 76;

/** Greedy word wrap with a hanging indent, for plain-text mail clients that do not reflow. */
export const wrap = (text: string, indent = '', width = TEXT_WIDTH): string => {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line.trim() ? `${line} ${word}` : `${indent}${word}`;
  }
  if (line.trim()) lines.push(line);
  return lines.join('\n');
};
