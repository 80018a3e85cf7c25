/** What a timestamp column gives back: SQLite a number or a string, PostgreSQL a Date. */
export type DbTimestamp = Date | string | number;

export function toDate(value: DbTimestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

/** SQLite stores booleans as 0 and 1. */
export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}
