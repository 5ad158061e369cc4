/** Numbered placeholders for one statement: `add(value)` returns `$n` and keeps the value in order. */
export function createSqlParams() {
  const values: unknown[] = [];
  return {
    values,
    add(value: unknown): string {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

export type SqlParams = ReturnType<typeof createSqlParams>;

/** An identifier checked to be plain (lower-case letters, digits, `_`), so it can be quoted into SQL. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
