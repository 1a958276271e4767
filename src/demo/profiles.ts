/**
 * Who uses the assistant, when they start, and how much: one activity profile per account.
 *
 * Engagement is a latent score z ~ N(0, 1) (nudged by department). It sets the chance of being
 * active on a weekday and the messages on an active day on a log scale, so messages per user are
 * heavy-tailed: most people are light users, a few percent send 75+ messages a week with several
 * tools (power users).
 */
import { NEVER, type People, Cohort } from './people.ts';
import { Prng, WeightedTable, stream } from './prng.ts';
import { MODELS, MODEL_WEIGHTS, TOOLS, TOOL_WEIGHTS } from './vocabulary.ts';

/** No day (never active before the window). */
export const NO_DAY = -2_147_483_648;

export const TOOL_PROFILES = 24;
/** Profiles below this index use more tools (heavy users get them). */
const BROAD_TOOL_PROFILES = 6;
export const MODEL_PROFILES = 12;
/** Profiles below this index include the reasoning models (heavy users get them). */
const HEAVY_MODEL_PROFILES = 4;

export interface Profiles {
  z: Float32Array;
  /** Chance of being active on an ordinary weekday once fully adopted. */
  pActive: Float32Array;
  /** Mean messages on an active day. */
  meanMessages: Float32Array;
  /** First day the person uses the assistant (NEVER for non-adopters). */
  adopt: Int32Array;
  /** The last day active before the window, or NO_DAY. */
  lastBefore: Int32Array;
  /** Chance a message uses a tool. */
  pTool: Float32Array;
  toolProfile: Uint8Array;
  /** Weighted tables over TOOLS, one per tool profile; each uses a few tools only. */
  toolTables: WeightedTable[];
  modelProfile: Uint8Array;
  /**
   * Weighted tables over MODELS: [before the launch, after it] × MODEL_PROFILES; each uses two to
   * four models, the era's default among them.
   */
  modelTables: WeightedTable[];
  /** Conversation chances (GPT and project ones are set once slots are assigned). */
  pGpt: Float32Array;
  pProject: Float32Array;
  pSkill: Float32Array;
  pApp: Float32Array;
}

const DEPT_LIFT: Record<string, number> = { engineering: 0.2, analytics: 0.25, product: 0.1, legal: -0.15, executive: -0.1 };

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Up to `k` distinct indexes drawn by weight, `always` first. */
function subset(rng: Prng, weights: readonly number[], k: number, always: number): number[] {
  const chosen = [always];
  const table = new WeightedTable(weights);
  for (let tries = 0; chosen.length < k && tries < 50; tries++) {
    const t = table.pick(rng.float());
    if (!chosen.includes(t)) chosen.push(t);
  }
  return chosen;
}

function toolTables(rng: Prng): WeightedTable[] {
  const tables: WeightedTable[] = [];
  for (let p = 0; p < TOOL_PROFILES; p++) {
    const broad = p < BROAD_TOOL_PROFILES;
    const chosen = subset(rng, TOOL_WEIGHTS, broad ? rng.between(4, 7) : rng.between(2, 4), 0);
    const w = TOOLS.map((_, t) => (chosen.includes(t) ? TOOL_WEIGHTS[t]! * Math.exp(0.8 * rng.normal()) : 0));
    tables.push(new WeightedTable(w));
  }
  return tables;
}

function modelTables(rng: Prng): WeightedTable[] {
  const tables: WeightedTable[] = [];
  for (const era of ['before', 'after'] as const) {
    for (let p = 0; p < MODEL_PROFILES; p++) {
      const heavy = p < HEAVY_MODEL_PROFILES;
      const base = MODEL_WEIGHTS[era][heavy ? 'heavy' : 'light'];
      const defaultModel = era === 'before' ? MODELS.indexOf('gpt-4o') : MODELS.indexOf('gpt-5');
      const chosen = subset(rng, base, heavy ? rng.between(3, 4) : rng.between(1, 3), defaultModel);
      const w = MODELS.map((_, m) => (chosen.includes(m) ? base[m]! * Math.exp(0.6 * rng.normal()) : 0));
      tables.push(new WeightedTable(w));
    }
  }
  return tables;
}

export function buildProfiles(seed: string | number, people: People, deptKeys: readonly string[], start: number, end: number): Profiles {
  const rng = stream(seed, 'profiles');
  const n = people.count;
  const days = end - start + 1;
  const p: Profiles = {
    z: new Float32Array(n),
    pActive: new Float32Array(n),
    meanMessages: new Float32Array(n),
    adopt: new Int32Array(n),
    lastBefore: new Int32Array(n).fill(NO_DAY),
    pTool: new Float32Array(n),
    toolProfile: new Uint8Array(n),
    toolTables: toolTables(rng),
    modelProfile: new Uint8Array(n),
    modelTables: modelTables(rng),
    pGpt: new Float32Array(n),
    pProject: new Float32Array(n),
    pSkill: new Float32Array(n),
    pApp: new Float32Array(n),
  };

  for (let i = 0; i < n; i++) {
    const z = rng.normal() + (DEPT_LIFT[deptKeys[people.dept[i]!]!] ?? 0);
    p.z[i] = z;
    p.pActive[i] = clamp(sigmoid(-0.75 + 1.5 * z), 0.03, 0.95);
    p.meanMessages[i] = clamp(Math.exp(1.8 + 0.68 * z), 1, 80);
    p.pTool[i] = clamp(0.2 + 0.11 * z + 0.06 * rng.normal(), 0.03, 0.8);
    p.toolProfile[i] = z > 1.2 ? rng.int(BROAD_TOOL_PROFILES) : rng.int(TOOL_PROFILES);
    p.modelProfile[i] = z > 0.8 || rng.chance(0.1) ? rng.int(HEAVY_MODEL_PROFILES) : rng.between(HEAVY_MODEL_PROFILES, MODEL_PROFILES - 1);
    p.pSkill[i] = rng.chance(0.45) ? 0.01 + 0.12 * rng.float() : 0;
    p.pApp[i] = rng.chance(0.55) ? 0.02 + 0.18 * rng.float() : 0;

    const accepted = people.accepted[i]!;
    const cohort = people.cohort[i]!;
    let adopt = NEVER;
    const u = rng.float();
    if (accepted === NEVER) {
      adopt = NEVER;
    } else if (cohort === Cohort.GoneBefore) {
      if (u < 0.7) {
        adopt = accepted + Math.floor(rng.exponential(20));
        if (adopt < people.deleted[i]!) p.lastBefore[i] = rng.between(adopt, people.deleted[i]! - 1);
      }
    } else if (cohort === Cohort.Established) {
      if (u < 0.1) adopt = NEVER;
      else if (u < 0.68) {
        // Adopted before the window; last seen recently (light users less recently).
        adopt = rng.between(accepted, start - 1);
        const gap = Math.floor(rng.exponential(2 / p.pActive[i]!));
        p.lastBefore[i] = Math.max(adopt, start - 1 - gap);
      } else {
        adopt = Math.max(accepted, start + Math.floor(rng.exponential(days * 0.3)));
      }
    } else {
      // Joiners (and late acceptors): most start within days of getting their account.
      adopt = u < 0.88 ? accepted + Math.floor(rng.exponential(8)) : NEVER;
    }
    p.adopt[i] = adopt;
  }

  // The separate admin account is for administration: rarely used to chat.
  const admin = people.twin[1];
  p.pActive[admin] = 0.03;
  p.meanMessages[admin] = 1.5;
  p.pTool[admin] = 0.02;
  p.z[admin] = -2;
  return p;
}
