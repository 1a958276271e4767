/** What Teams accepts and what reads well in it, as named constants. */

/** The newest Adaptive Card schema every Teams client renders. */
export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** An inline chart: at most this many pixels on its longer side … */
export const MAX_IMAGE_SIDE = 1024;
/** … and at most this many bytes of PNG (Teams drops larger data URIs). */
export const MAX_IMAGE_BYTES = 1_000_000;

/** Table rows shown in a card before "… and N more": what reads on a phone. */
export const MAX_CARD_TABLE_ROWS = 10;
/** Table columns shown in a card; the rest are in `--json` and the CSV. */
export const MAX_CARD_TABLE_COLUMNS = 4;
/** Trend entries shown as a table when no chart could be drawn. */
export const MAX_CARD_SERIES_ENTRIES = 12;
/** Facts of one FactSet (headline values). */
export const MAX_FACTS = 12;
