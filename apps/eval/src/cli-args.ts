import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('eval');

/** "1,5,10" -> [1, 5, 10]; every value a positive integer up to `max`. */
export function parseIntList(value: string, option: string, max: number): number[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw fail('INVALID_INPUT', `${option} needs a comma-separated list of positive integers.`);
  return items.map((item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n <= 0 || n > max) throw fail('INVALID_INPUT', `${option}: ${JSON.stringify(item)} is not an integer between 1 and ${max}.`);
    return n;
  });
}

export function parseNameList(value: string, option: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw fail('INVALID_INPUT', `${option} needs a comma-separated list of names.`);
  return [...new Set(items)];
}

/** A comma-separated list of names, each one of `choices` (what it is called: `noun`, e.g. "pattern"). */
export function parseChoiceList<T extends string>(value: string, option: string, choices: readonly T[], noun: string): T[] {
  const names = parseNameList(value, option);
  const unknown = names.find((name) => !(choices as readonly string[]).includes(name));
  if (unknown !== undefined) throw fail('INVALID_INPUT', `${option} has unknown ${noun} ${JSON.stringify(unknown)}; choose from ${choices.join(', ')}.`);
  return names as T[];
}

export function parsePositiveInt(value: string, option: string, max: number): number {
  return parseIntList(value, option, max)[0]!;
}

/** A whole number from 0 to `max` ("0" allowed, unlike `parsePositiveInt`). */
export function parseNonNegativeInt(value: string, option: string, max: number): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) throw fail('INVALID_INPUT', `${option}: ${JSON.stringify(value)} is not an integer between 0 and ${max}.`);
  return n;
}

/** A share from 0 to 1 ("0.25"); an empty or non-numeric value is refused. */
export function parseShare(value: string, option: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw fail('INVALID_INPUT', `${option} must be a number in [0, 1], got ${JSON.stringify(value)}.`);
  return n;
}
