/**
 * The arguments of `settings` (chat and CLI alike): `key:value` pairs turned into a validated
 * patch. Every problem is reported together.
 */
import { UsageError } from './errors.ts';
import { ILLUSTRATIVE_MEDIANS, findIndustry } from './benchmarks.ts';
import type { SettingsPatch } from '../store/settings.ts';

export const SETTINGS_KEYS = {
  seats: 'seats purchased (a whole number, or "none")',
  industry: `benchmark industry (${ILLUSTRATIVE_MEDIANS.map((i) => i.key).join(', ')})`,
  'eu-data-residency': 'EU data residency (yes/no)',
  'task-insights': 'task insights (on/off/default)',
  'min-group-size': 'minimum group size for task-insight breakdowns (10 or more)',
} as const;

const YES = new Set(['yes', 'on', 'true', '1']);
const NO = new Set(['no', 'off', 'false', '0']);

function yesNo(value: string): boolean | undefined {
  const v = value.toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : undefined;
}

export function parseSettingsArgs(pairs: ReadonlyArray<readonly [string, string]>): SettingsPatch {
  const patch: SettingsPatch = {};
  const problems: string[] = [];
  for (const [rawKey, value] of pairs) {
    const key = rawKey.toLowerCase();
    switch (key) {
      case 'seats': {
        if (value.toLowerCase() === 'none') patch.seatsPurchased = null;
        else if (/^\d{1,9}$/.test(value)) patch.seatsPurchased = Number(value);
        else problems.push(`seats: "${value}" is not a whole number of seats`);
        break;
      }
      case 'industry': {
        const industry = findIndustry(value);
        if (industry) patch.benchmarkIndustry = industry.key;
        else
          problems.push(
            `industry: "${value}" is not one of ${ILLUSTRATIVE_MEDIANS.map((i) => i.key).join(', ')}`,
          );
        break;
      }
      case 'eu-data-residency': {
        const v = yesNo(value);
        if (v === undefined) problems.push(`eu-data-residency: say yes or no, not "${value}"`);
        else patch.euDataResidency = v;
        break;
      }
      case 'task-insights': {
        if (value.toLowerCase() === 'default') patch.taskInsights = null;
        else {
          const v = yesNo(value);
          if (v === undefined) problems.push(`task-insights: say on, off or default, not "${value}"`);
          else patch.taskInsights = v;
        }
        break;
      }
      case 'min-group-size': {
        if (!/^\d{1,6}$/.test(value)) problems.push(`min-group-size: "${value}" is not a whole number`);
        else if (Number(value) < 10)
          problems.push(`min-group-size: ${value} is below 10; it may be raised, never lowered below 10`);
        else patch.minGroupSize = Number(value);
        break;
      }
      default:
        problems.push(`unknown setting "${rawKey}" (known: ${Object.keys(SETTINGS_KEYS).join(', ')})`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return patch;
}
