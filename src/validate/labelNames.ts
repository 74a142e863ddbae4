/** Prometheus's label name syntax; names starting with `__` also match it but are reserved. */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const INVALID_LABEL_NAME = 'is not a valid label name (letters, digits and _; not starting with a digit)';
export const RESERVED_LABEL_NAME = 'label names starting with "__" are reserved for Prometheus';

/** What is wrong with a label name, or undefined when it may be used. */
export function labelNameProblem(name: string): string | undefined {
  if (!LABEL_NAME_PATTERN.test(name)) return `"${name}" ${INVALID_LABEL_NAME}`;
  if (name.startsWith('__')) return RESERVED_LABEL_NAME;
  return undefined;
}
