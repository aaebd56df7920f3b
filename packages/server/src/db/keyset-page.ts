// Keyset pagination's last step, shared by every list: rows fetched with limit + 1 become a page and the next cursor.

/**
 * Turn `rows` (fetched with `limit + 1`, so one extra row tells whether more follow) into a page:
 * the first `limit` rows mapped by `toItem`, and the cursor of the last one when more rows exist.
 */
export function keysetPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  map: { toItem: (row: Row) => Item; cursorOf: (row: Row) => string },
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => map.toItem(row)),
    nextCursor: rows.length > limit && last !== undefined ? map.cursorOf(last) : null,
  };
}
