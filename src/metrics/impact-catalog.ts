/** Stub: implementation follows. */
import type { ImpactAnswer } from '../store/schema.ts';

export const IMPACT_DIMENSIONS = [
  'productivity',
  'time_saved',
  'work_quality',
  'work_satisfaction',
  'new_tasks',
  'stakeholder_service',
] as const;
export type ImpactDimension = (typeof IMPACT_DIMENSIONS)[number];

export interface ImpactQuestion {
  question_id: string;
  dimension: string;
  text: string;
  answers: ImpactAnswer[];
}

export const BUILT_IN_IMPACT_CATALOG: readonly ImpactQuestion[] = [];
