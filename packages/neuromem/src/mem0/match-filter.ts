import { createErrorFactory, describeValue, isPlainObject } from '@neuromem/core';
import type { Mem0Filters } from './types';

const fail = createErrorFactory('mem0');
const invalid = (field: string, message: string) => fail('INVALID_INPUT', message, { details: { field } });

/** Mem0's comparison operators, as `{ key: { gte: 3 } }`. */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'icontains'] as const;
type Operator = (typeof OPERATORS)[number];

/** `$and` / `$or` / `$not` are Mem0's store spelling of the same three. */
const LOGICAL: Readonly<Record<string, 'AND' | 'OR' | 'NOT'>> = { AND: 'AND', OR: 'OR', NOT: 'NOT', $and: 'AND', $or: 'OR', $not: 'NOT' };

/** `"*"` matches any value, as in Mem0. */
export const WILDCARD = '*';

/**
 * Checks a filter's shape once, before any memory is read: AND / OR / NOT take a non-empty list of
 * filters, operators are Mem0's, `in` / `nin` take lists and `contains` text. Throws INVALID_INPUT.
 */
export function checkFilter(filter: unknown, path = 'filters'): void {
  if (!isPlainObject(filter)) throw invalid(path, `${path} must be an object like { user_id: "alice", category: "travel" }, got ${describeValue(filter)}.`);
  for (const [key, value] of Object.entries(filter)) {
    const logical = LOGICAL[key];
    if (logical !== undefined) {
      if (!Array.isArray(value) || value.length === 0)
        throw invalid(`${path}.${key}`, `${logical} operator requires a non-empty list of conditions, e.g. ${logical}: [{ category: "a" }, { category: "b" }].`);
      value.forEach((sub, i) => checkFilter(sub, `${path}.${key}[${i}]`));
    } else if (isPlainObject(value)) {
      checkCondition(value, `${path}.${key}`);
    }
  }
}

function checkCondition(condition: Record<string, unknown>, path: string): void {
  const operators = Object.keys(condition);
  if (operators.length === 0) throw invalid(path, `${path} is an empty condition; give an operator such as { gte: 3 } (operators: ${OPERATORS.join(', ')}).`);
  for (const operator of operators) {
    if (!(OPERATORS as readonly string[]).includes(operator)) throw invalid(path, `Unsupported metadata filter operator: ${operator} in ${path}; the operators are ${OPERATORS.join(', ')}.`);
    const operand = condition[operator];
    if ((operator === 'in' || operator === 'nin') && !Array.isArray(operand)) throw invalid(`${path}.${operator}`, `${path}.${operator} must be a list of values, got ${describeValue(operand)}.`);
    if ((operator === 'contains' || operator === 'icontains') && typeof operand !== 'string') throw invalid(`${path}.${operator}`, `${path}.${operator} must be text, got ${describeValue(operand)}.`);
  }
}

/**
 * Whether a memory's fields (`payload`: its metadata, ids and Mem0's fields) pass a filter that
 * `checkFilter` accepted. Every key must pass; a condition with several operators passes when all
 * do (`{ gte: 1, lte: 5 }` is a range; Mem0's own store reads only the first operator).
 */
export function matchesFilter(payload: Readonly<Record<string, unknown>>, filter: Mem0Filters): boolean {
  for (const [key, value] of Object.entries(filter)) {
    const logical = LOGICAL[key];
    const subs = value as Mem0Filters[];
    if (logical === 'AND' && !subs.every((sub) => matchesFilter(payload, sub))) return false;
    if (logical === 'OR' && !subs.some((sub) => matchesFilter(payload, sub))) return false;
    if (logical === 'NOT' && subs.some((sub) => matchesFilter(payload, sub))) return false;
    if (logical === undefined && !matchesCondition(payload[key], value)) return false;
  }
  return true;
}

function matchesCondition(actual: unknown, condition: unknown): boolean {
  if (condition === WILDCARD) return true;
  // A list is Mem0's shorthand for `in`.
  if (Array.isArray(condition)) return condition.includes(actual);
  if (!isPlainObject(condition)) return actual === condition;
  return Object.entries(condition).every(([operator, operand]) => applies(operator as Operator, actual, operand));
}

function applies(operator: Operator, actual: unknown, operand: unknown): boolean {
  switch (operator) {
    case 'eq':
      return actual === operand;
    case 'ne':
      return actual !== operand;
    case 'in':
      return (operand as unknown[]).includes(actual);
    case 'nin':
      return !(operand as unknown[]).includes(actual);
    case 'contains':
      return typeof actual === 'string' && actual.includes(operand as string);
    case 'icontains':
      return typeof actual === 'string' && actual.toLowerCase().includes((operand as string).toLowerCase());
    default:
      return compares(operator, actual, operand);
  }
}

/** Order comparisons between two numbers or two strings (ISO dates compare as text); anything else fails. */
function compares(operator: 'gt' | 'gte' | 'lt' | 'lte', actual: unknown, operand: unknown): boolean {
  const comparable = (typeof actual === 'number' && typeof operand === 'number') || (typeof actual === 'string' && typeof operand === 'string');
  if (!comparable) return false;
  const [a, b] = [actual as number | string, operand as number | string];
  if (operator === 'gt') return a > b;
  if (operator === 'gte') return a >= b;
  if (operator === 'lt') return a < b;
  return a <= b;
}
