/**
 * What people in the demo workspace use and talk about: models, tools (the names seen in real
 * exports), skills, apps, task types, topics and departments.
 */

export const MODELS = ['gpt-5', 'gpt-5-thinking', 'gpt-4o', 'o3', 'gpt-4.1', 'gpt-5-reasoning-pro'] as const;
/**
 * Model weights before and after the mid-window model launch, for light and heavy users (the
 * gpt-5 family is zero before its launch).
 */
export const MODEL_WEIGHTS = {
  before: { light: [0, 0, 70, 8, 20, 0], heavy: [0, 0, 45, 35, 20, 0] },
  after: { light: [62, 14, 14, 3, 6, 1], heavy: [45, 27, 5, 10, 4, 9] },
} as const;
/** Where in the window (as a fraction) the newer model family becomes the default. */
export const MODEL_LAUNCH_AT = 0.4;

export const TOOLS = [
  'Search',
  'Retrieval',
  'Data Analysis',
  'Image Gen',
  'Canvas',
  'Deep Research',
  'Legacy Search',
  'GPT Editor',
  'GPT External API Actions',
  'Tasks',
] as const;
export const TOOL_WEIGHTS = [40, 12, 14, 9, 8, 5, 3, 2, 3, 4] as const;
/**
 * Mean tool-generated messages per tool-using message in Users reports (a search or an analysis
 * produces several), which is why `tool_messages` is often larger than `messages` there.
 */
export const TOOL_MESSAGE_MULTIPLIER = [2.8, 1.7, 3.4, 1.2, 1.5, 5, 2.0, 1.4, 2.2, 1.1] as const;

export const SKILLS = [
  'spreadsheets',
  'presentations',
  'documents',
  'pdf-tools',
  'brand-guidelines',
  'sql-analyst',
  'meeting-notes',
  'contract-review',
] as const;

export const APPS = [
  'Google Drive',
  'SharePoint',
  'GitHub',
  'Slack',
  'Gmail',
  'Outlook',
  'Notion',
  'Jira',
  'Salesforce',
  'Box',
  'Confluence',
  'HubSpot',
] as const;

export const TASK_TYPES = [
  'writing',
  'coding',
  'analysis',
  'research',
  'summarization',
  'brainstorming',
  'translation',
  'data_extraction',
] as const;

export const TOPICS = ['Sales', 'Engineering', 'Finance', 'HR', 'Marketing', 'Legal', 'Support', 'Operations'] as const;

export interface Department {
  /** The lower-case key the `department` column lists. */
  key: string;
  /** How SCIM group names call it. */
  label: string;
  /** Index into TOPICS of what its people mostly talk about. */
  topic: number;
  /** Weights over TASK_TYPES. */
  tasks: readonly number[];
  /** Relative headcount. */
  weight: number;
}

export const DEPARTMENTS: readonly Department[] = [
  { key: 'engineering', label: 'Engineering', topic: 1, tasks: [8, 46, 12, 10, 8, 6, 1, 9], weight: 22 },
  { key: 'sales', label: 'Sales', topic: 0, tasks: [38, 1, 10, 16, 12, 12, 6, 5], weight: 16 },
  { key: 'marketing', label: 'Marketing', topic: 4, tasks: [40, 2, 8, 12, 8, 20, 8, 2], weight: 8 },
  { key: 'finance', label: 'Finance', topic: 2, tasks: [14, 6, 36, 8, 14, 3, 2, 17], weight: 7 },
  { key: 'hr', label: 'People', topic: 3, tasks: [36, 1, 8, 10, 18, 12, 8, 7], weight: 5 },
  { key: 'legal', label: 'Legal', topic: 5, tasks: [26, 1, 12, 16, 30, 2, 7, 6], weight: 3 },
  { key: 'support', label: 'Customer Support', topic: 6, tasks: [34, 3, 8, 10, 22, 4, 15, 4], weight: 12 },
  { key: 'operations', label: 'Operations', topic: 7, tasks: [20, 6, 24, 10, 16, 8, 3, 13], weight: 9 },
  { key: 'product', label: 'Product', topic: 1, tasks: [30, 10, 16, 14, 12, 14, 1, 3], weight: 7 },
  { key: 'analytics', label: 'Data & Analytics', topic: 2, tasks: [8, 28, 38, 8, 6, 3, 1, 8], weight: 5 },
  { key: 'it', label: 'IT', topic: 1, tasks: [16, 30, 12, 14, 12, 4, 2, 10], weight: 4 },
  { key: 'executive', label: 'Executive Office', topic: 7, tasks: [34, 1, 18, 14, 20, 10, 2, 1], weight: 2 },
];

/** Weights of TOPICS for conversations outside one's own department's topic. */
export const TOPIC_WEIGHTS = [14, 20, 12, 8, 14, 5, 12, 15] as const;

/** Onboarding roles (the `role` column) and their shares; '' is the blank cell. */
export const ROLES = ['team_member', 'manager', 'director', 'executive', 'other', ''] as const;
export const ROLE_WEIGHTS = [46, 17, 7, 2, 10, 18] as const;

export const USER_ROLES = ['standard-user', 'account-admin', 'account-owner'] as const;
