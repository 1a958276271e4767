/**
 * The digest kinds, one module each in this folder, in the order `digest list` shows them. None
 * is built yet; the scheduler and `wsa digest` read this list.
 */
import type { DigestKind } from '../src/core/digest.ts';

export const DIGESTS: readonly DigestKind[] = [];
