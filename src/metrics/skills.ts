/** `skills` (docs/design.md §5): skill messages over P with a weekly trend, and the top skills (event-labels.ts). */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { eventLabelUsage } from './event-labels.ts';

export function skills(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  return eventLabelUsage(db, req, {
    key: 'skill',
    exportWarning: 'Skills come from usage events; Users reports carry no skill usage, so skill messages are not known for this workspace.',
  });
}
