/**
 * The JSON answer's every-sender rows (people.ts `everySender`) from its cursor's rows: each
 * person's summed columns, their facts' maps (as JSON text) merged, their directory row, as one
 * page of the answer's text. Run on a thread of its own (sender-rows-worker.mjs,
 * sender-rows-thread.ts) so that parsing, merging and printing a page overlaps the main thread's
 * reading the next one from the store and writing the last one out; it loads nothing but the
 * row's rules (user-row.ts) and the answer's text form (rows-json.ts).
 */
import { rowsPage, type RowsPage } from '../core/rows-json.ts';
import { detailOf, identityOf, mergeFactMaps, userRow, type Detail, type FactMaps, type Identity } from './user-row.ts';

/** A row of everySender's statement. */
export interface SenderRow extends Detail, Partial<Omit<Identity, 'last_day_active'>> {
  directory_last_day_active: string | null;
  rk: number;
  /** Each fact's model, GPT, tool and project maps as JSON text: `[[m,g,t,p],[m,g,t,p]…]`. */
  maps: string;
}

/** A page of the statement's rows as the answer's rows, `senders` being every sender's count. */
export function senderRowsPage(rows: readonly SenderRow[], senders: number, groupNames: Map<string, string>): RowsPage {
  return rowsPage(
    rows.map((r) => {
      const messages = Number(r.messages);
      const ranked = { public_id: r.public_id, messages, rk: Number(r.rk), senders };
      const maps = mergeFactMaps(JSON.parse(r.maps) as FactMaps[]);
      return userRow(ranked, detailOf(r, messages), maps, r.account_key == null ? undefined : identityOf(r), groupNames);
    }),
  );
}
