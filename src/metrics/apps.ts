/** `apps` (docs/design.md §5): app messages over P with a weekly trend, and per app its messages and users (event-labels.ts). */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { eventLabelUsage } from './event-labels.ts';

export function apps(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  return eventLabelUsage(db, req, {
    key: 'app',
    exportWarning: 'Apps come from usage events; Users reports carry no app usage, so app messages are not known for this workspace.',
  });
}
