/**
 * What is wrong with a string a client sent, or undefined when it may be stored as it is.
 *
 * I-JSON (RFC 7493, section 2.1) forbids surrogates that are not part of a pair and Unicode
 * noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane): the log
 * hashes its events' canonical JSON (RFC 8785), which has no form for a lone surrogate.
 * U+0000 is refused too: PostgreSQL cannot store it in text. Positions count UTF-16 code
 * units from 0, as JavaScript and most clients index strings.
 */
export function textProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0) return `must not contain U+0000 (NUL), found at character ${i}`;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return loneSurrogate(unit, i);
      const codePoint = ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if (isNoncharacter(codePoint)) return noncharacter(codePoint, i);
      i++;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return loneSurrogate(unit, i);
    if (isNoncharacter(unit)) return noncharacter(unit, i);
  }
  return undefined;
}

function isNoncharacter(codePoint: number): boolean {
  return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

const loneSurrogate = (unit: number, at: number) =>
  `must be valid Unicode (I-JSON, RFC 7493): a lone surrogate ${hex(unit)} at character ${at}`;

const noncharacter = (codePoint: number, at: number) =>
  `must not contain a Unicode noncharacter (I-JSON, RFC 7493): ${hex(codePoint)} at character ${at}`;

/** A problem found in a value, and where: a dotted path such as `input.milestones.0.title`. */
export interface InputProblem {
  field: string;
  rule: string;
}

/**
 * Whether a value found while walking an input is itself a refusal: scalars that cannot
 * name their field (they do not know where they are) parse a bad value to such a marker,
 * and the walk refuses it with the field's path.
 */
export interface RefusedValue {
  readonly refusal: string;
}

export function isRefusedValue(value: unknown): value is RefusedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { refusal?: unknown }).refusal === 'string'
  );
}

/**
 * How deep objects and lists may nest in one argument. The schema's own input types nest
 * a few levels; free-form JSON (a correction's `corrected`) is refused beyond this, before
 * anything walks it recursively (canonical JSON, the event store) and runs out of stack.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * The first problem in an argument's value, walking every string, object member name and
 * list item; `path` is where the value sits (the argument's name, or '' for a whole
 * arguments object). Dates are leaves. Objects and lists may nest `MAX_INPUT_DEPTH` deep.
 */
export function firstInputProblem(
  value: unknown,
  path: string,
  depth = 0,
): InputProblem | undefined {
  const field = path || 'input';
  if (typeof value === 'string') {
    const rule = textProblem(value);
    return rule === undefined ? undefined : { field, rule };
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
  if (isRefusedValue(value)) return { field, rule: value.refusal };
  if (depth >= MAX_INPUT_DEPTH) {
    return { field, rule: `must not nest objects and lists more than ${MAX_INPUT_DEPTH} deep` };
  }
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const keyRule = Array.isArray(value) ? undefined : textProblem(key);
    if (keyRule !== undefined) return { field, rule: `member name ${keyRule}` };
    const problem = firstInputProblem(item, path ? `${path}.${key}` : key, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
