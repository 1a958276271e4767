/** Task insights obey the workspace setting (docs/design.md §4.3): off → the task commands say so. */
import { UnanswerableError } from '../../src/core/errors.ts';
import type { CommandContext } from '../../src/core/registry.ts';
import { notices } from '../../src/core/wording.ts';
import { getSettings } from '../../src/store/settings.ts';

/** Refuses before any task data is read when task insights are off for the workspace. */
export async function requireTaskInsights(ctx: CommandContext): Promise<void> {
  const settings = await getSettings(ctx.db);
  if (!settings.taskInsights) {
    throw new UnanswerableError(notices.taskInsightsOff(settings.euDataResidency && !settings.taskInsightsExplicit));
  }
}
