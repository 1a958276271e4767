/**
 * The map cells of an export written by the database (docs/design.md §7 "Exports"): a Python dict
 * literal of a jsonb count map — `{'gpt-5': 201, 'o3': 12}`, largest first, ties by key — exactly
 * as `pyCountDict` (src/core/csv.ts) writes it for the demo. Formatting in SQL lets the database
 * do it on its own core while the export process writes the file, and spares the process from
 * decoding every map into objects (most of an export's time and garbage before).
 *
 * Python's `repr()` of a key: single quotes, unless the key holds a single quote and no double
 * quote; backslash, the chosen quote, `\n`, `\r`, `\t` escaped, other control characters as
 * `\xNN`. The common key (none of these characters) takes the first, cheap branch.
 * Ties are ordered by the key's bytes (`collate "C"`), which is the order of `pyCountDict` for
 * every key outside the astral planes.
 */
import { sql, type RawBuilder } from 'kysely';

/** Control characters Python writes as `\xNN` (text cannot hold NUL; \t, \n and \r have names). */
const HEX_ESCAPED = [...Array.from({ length: 31 }, (_, i) => i + 1).filter((c) => c !== 9 && c !== 10 && c !== 13), 0x7f];

/** `replace(…)` nested over `expr`: each control character by its `\xNN`. */
function hexEscapes(expr: string): string {
  let out = expr;
  for (const code of HEX_ESCAPED) out = `replace(${out}, chr(${code}), '\\x${code.toString(16).padStart(2, '0')}')`;
  return out;
}

/** Python's repr of the text column `k` (a plain SQL expression naming it), as SQL text. */
function pyReprSql(k: string): string {
  const quote = `(case when strpos(${k}, '''') > 0 and strpos(${k}, '"') = 0 then '"' else '''' end)`;
  const escaped = hexEscapes(
    `replace(replace(replace(replace(replace(${k}, '\\', '\\\\'), ${quote}, '\\' || ${quote}), chr(10), '\\n'), chr(13), '\\r'), chr(9), '\\t')`,
  );
  return `(case when ${k} !~ '[''\\\\\\x01-\\x1f\\x7f]' then '''' || ${k} || '''' else ${quote} || ${escaped} || ${quote} end)`;
}

const ENTRY = pyReprSql('e.key');

/** The Python dict literal of a jsonb count map (`''` when null or empty). */
export function pyCountDictSql(map: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when ${map} is null then '' else coalesce((select '{' || string_agg(${sql.raw(ENTRY)} || ': ' || e.value, ', '
    order by e.value::numeric desc, e.key collate "C") || '}' from jsonb_each_text(${map}) e), '') end`;
}

/** How many keys a jsonb map has (0 when null). */
export function keyCountSql(map: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce((select count(*) from jsonb_object_keys(${map}))::int, 0)`;
}

/** The maps of a jsonb array of count maps summed into one (null when none has an entry). */
export function summedMapSql(maps: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select jsonb_object_agg(s.key, s.total) from (select e.key, sum(e.value::numeric) as total
    from jsonb_array_elements(${maps}) m, jsonb_each_text(m.value) e group by e.key) s)`;
}
