// With the u flag, a surrogate half only matches when it is not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

// String.prototype.isWellFormed (ES2024: Node 20, current browsers) is much faster than the
// regex; the regex is the fallback for older engines.
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean })
  .isWellFormed;

/** Whether `text` has a lone surrogate, i.e. is not valid Unicode and has no UTF-8 form. */
export function hasLoneSurrogate(text: string): boolean {
  return isWellFormed ? !isWellFormed.call(text) : LONE_SURROGATE.test(text);
}

/**
 * Whether `text` has a C0 control character (below U+0020), not counting newline when
 * `allowNewline` is set. Signed notes allow no other control character.
 */
export function hasControlCharacter(
  text: string,
  options: { allowNewline?: boolean } = {},
): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && !(c === 0x0a && options.allowNewline)) return true;
  }
  return false;
}
