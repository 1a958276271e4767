/**
 * The digest kinds, one module each in this folder, in the order `digest list` shows them. The
 * scheduler, `wsa digest` and `/wsa digest` read this list.
 */
import type { DigestKind } from '../src/core/digest.ts';
import { digest as weeklyAdoption } from './weekly-adoption.ts';
import { digest as weeklyImpact } from './weekly-impact.ts';
import { digest as powerUsers } from './power-users.ts';

export const DIGESTS: readonly DigestKind[] = [weeklyAdoption, weeklyImpact, powerUsers];

export function findDigest(name: string): DigestKind | undefined {
  return DIGESTS.find((d) => d.name === name.trim().toLowerCase());
}
