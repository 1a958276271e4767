/**
 * The demo's impact question catalog, in the shape an admin can import (docs/design.md §5):
 * `{"questions":[{"question_id","dimension","text","answers":[{"answer_id","label","positive"}]}]}`.
 * Seven questions over the six dimensions; question texts are our own.
 */
import { IMPACT_DIMENSIONS } from '../metrics/impact-catalog.ts';

export interface CatalogAnswer {
  answer_id: string;
  label: string;
  positive: boolean;
}

export interface CatalogQuestion {
  question_id: string;
  dimension: string;
  text: string;
  answers: CatalogAnswer[];
}

export interface ImpactCatalog {
  questions: CatalogQuestion[];
}

/** The six dimensions the product's survey measures, as the metrics define them. */
export const DIMENSIONS = IMPACT_DIMENSIONS;

function question(id: string, dimension: string, text: string, labels: string[], positiveFrom: number): CatalogQuestion {
  return {
    question_id: id,
    dimension,
    text,
    answers: labels.map((label, k) => ({ answer_id: `${id}-a${k + 1}`, label, positive: k >= positiveFrom })),
  };
}

export const IMPACT_CATALOG: ImpactCatalog = {
  questions: [
    question(
      'q-productivity-1',
      'productivity',
      'Compared with working without it, how much do you get done in a typical week using ChatGPT?',
      ['A lot less', 'A little less', 'About the same', 'A little more', 'A lot more'],
      3,
    ),
    question(
      'q-productivity-2',
      'productivity',
      'How quickly do you finish routine tasks now that you use ChatGPT for them?',
      ['Much slower', 'Slightly slower', 'No change', 'Slightly faster', 'Much faster'],
      3,
    ),
    question(
      'q-time-saved-1',
      'time_saved',
      'Roughly how many hours does ChatGPT save you in an average week?',
      ['None', 'Under an hour', '1 to 3 hours', '3 to 5 hours', 'More than 5 hours'],
      2,
    ),
    question(
      'q-work-quality-1',
      'work_quality',
      'How has using ChatGPT changed the quality of what you deliver?',
      ['Clearly worse', 'Slightly worse', 'Unchanged', 'Slightly better', 'Clearly better'],
      3,
    ),
    question(
      'q-work-satisfaction-1',
      'work_satisfaction',
      'How has ChatGPT changed how much you enjoy your day-to-day work?',
      ['I enjoy it much less', 'I enjoy it a bit less', 'No difference', 'I enjoy it a bit more', 'I enjoy it much more'],
      3,
    ),
    question(
      'q-new-tasks-1',
      'new_tasks',
      'How often does ChatGPT let you take on work you could not have done on your own?',
      ['Never', 'Once or twice', 'Now and then', 'Regularly', 'All the time'],
      3,
    ),
    question(
      'q-stakeholder-service-1',
      'stakeholder_service',
      'How has ChatGPT affected the service you give to customers, colleagues or partners?',
      ['Much worse', 'Somewhat worse', 'No effect', 'Somewhat better', 'Much better'],
      3,
    ),
  ],
};

/** A question some admin-created surveys add that the catalog does not know (counts toward participation only). */
export const EXTRA_QUESTION = {
  question_id: 'q-recommend-1',
  answers: ['q-recommend-1-a1', 'q-recommend-1-a2', 'q-recommend-1-a3', 'q-recommend-1-a4', 'q-recommend-1-a5'],
} as const;

/** Per-dimension shift of the chance of a positive answer (log-odds). */
export const DIMENSION_LEAN: Record<string, number> = {
  productivity: 0.5,
  time_saved: 0.35,
  work_quality: 0.1,
  work_satisfaction: 0.3,
  new_tasks: -0.35,
  stakeholder_service: -0.1,
};
