/**
 * The built-in impact question catalog (docs/design.md §5): one question per dimension, used while the
 * admin has not imported a catalog of their own (`wsa import catalog.json`, stored in
 * `impact_questions`). The wording is ours. Agreement questions count the two agreeing answers
 * as positive; the time question counts any time saved as positive.
 */
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

const AGREEMENT: ImpactAnswer[] = [
  { answer_id: 'strongly_agree', label: 'Strongly agree', positive: true },
  { answer_id: 'agree', label: 'Agree', positive: true },
  { answer_id: 'neutral', label: 'Neither agree nor disagree', positive: false },
  { answer_id: 'disagree', label: 'Disagree', positive: false },
  { answer_id: 'strongly_disagree', label: 'Strongly disagree', positive: false },
];

const TIME_SAVED: ImpactAnswer[] = [
  { answer_id: 'none', label: 'No time saved', positive: false },
  { answer_id: 'under_1h', label: 'Less than an hour a week', positive: true },
  { answer_id: '1_to_3h', label: 'One to three hours a week', positive: true },
  { answer_id: '3_to_5h', label: 'Three to five hours a week', positive: true },
  { answer_id: 'over_5h', label: 'More than five hours a week', positive: true },
];

export const BUILT_IN_IMPACT_CATALOG: readonly ImpactQuestion[] = [
  {
    question_id: 'productivity',
    dimension: 'productivity',
    text: 'Using the assistant, I get more of my work done in the same time.',
    answers: AGREEMENT,
  },
  {
    question_id: 'time_saved',
    dimension: 'time_saved',
    text: 'In a typical week, about how much time does the assistant save you?',
    answers: TIME_SAVED,
  },
  {
    question_id: 'work_quality',
    dimension: 'work_quality',
    text: 'The work I produce with the assistant is better than what I produced without it.',
    answers: AGREEMENT,
  },
  {
    question_id: 'work_satisfaction',
    dimension: 'work_satisfaction',
    text: 'The assistant makes my work more satisfying.',
    answers: AGREEMENT,
  },
  {
    question_id: 'new_tasks',
    dimension: 'new_tasks',
    text: 'The assistant lets me take on tasks I could not have done before.',
    answers: AGREEMENT,
  },
  {
    question_id: 'stakeholder_service',
    dimension: 'stakeholder_service',
    text: 'The assistant helps me serve my customers, colleagues or other stakeholders better.',
    answers: AGREEMENT,
  },
];
