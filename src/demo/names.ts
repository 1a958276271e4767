/**
 * Name material for synthetic people, groups, GPTs and projects. All invented; domains are under
 * the reserved `.example` top-level domain, so no generated email can reach a real person.
 */

export const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Sophia', 'Mateo', 'Isabella', 'Ethan',
  'Mia', 'James', 'Amelia', 'Benjamin', 'Harper', 'Elijah', 'Charlotte', 'Oliver', 'Chloé',
  'José', 'Zoë', 'Renée', 'François', 'Björn', 'Søren', 'Łukasz', 'Ana María', 'Jürgen', 'Inês',
  'Andrés', 'Mónica', 'Hélène', 'Jérôme', 'Agnieszka', 'Małgorzata', 'Siobhán', 'Seán', 'Aoife',
  'Priya', 'Arjun', 'Ananya', 'Rohan', 'Divya', 'Vikram', 'Sneha', 'Rahul', 'Kavya', 'Aditya',
  'Wei', 'Jing', 'Xiaoming', 'Mei', 'Hao', 'Yuki', 'Haruto', 'Sakura', 'Ren', 'Min-jun', 'Seo-yeon',
  'Ji-woo', 'Thanh', 'Linh', 'Minh', 'Fatima', 'Omar', 'Layla', 'Youssef', 'Amira', 'Karim',
  'Noor', 'Tariq', 'Chinedu', 'Ngozi', 'Oluwaseun', 'Adaeze', 'Kwame', 'Ama', 'Thabo', 'Zanele',
  'Dmitri', 'Anastasia', 'Olga', 'Ivan', 'Katarzyna', 'Tomasz', 'Nikolaj', 'Ingrid', 'Astrid',
  'Lars', 'Maja', 'Eero', 'Aino', 'Giulia', 'Lorenzo', 'Francesca', 'Matteo', 'Chiara', 'Sofía',
  'Diego', 'Valentina', 'Camila', 'Joaquín', 'Gabriel', 'Beatriz', 'João', 'Luíza', 'Rafael',
  'Sarah', 'Michael', 'Jennifer', 'David', 'Jessica', 'Daniel', 'Laura', 'Matthew', 'Rachel',
  'Christopher', 'Megan', 'Andrew', 'Hannah', 'Ryan', 'Emily', 'Kevin', 'Nicole', 'Brian', 'Aisha',
  'Mohammed', 'Hiroshi', 'Keiko', 'Tomás', 'Eoin', 'Niamh', 'Zoltán', 'Réka', 'Ümit', 'Elif',
  'Mehmet', 'Ayşe', 'Dara', 'Kai', 'Robin', 'Sam', 'Alex', 'Jordan', 'Taylor', 'Morgan',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor',
  'Anderson', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark',
  "O'Brien", "O'Neill", "D'Souza", "D'Angelo", "N'Diaye", "O'Connor", "Dell'Acqua", "M'Bala",
  'García', 'Martínez', 'Rodríguez', 'López', 'Hernández', 'González', 'Pérez', 'Sánchez',
  'Müller', 'Schröder', 'Schäfer', 'Weiß', 'Groß', 'Köhler', 'Dubois', 'Lefèvre', 'Moreau',
  'Girard', 'Bérubé', 'Côté', 'Ødegaard', 'Kjærgaard', 'Nordström', 'Åberg', 'Lindqvist',
  'Kowalski', 'Wiśniewski', 'Wójcik', 'Nowak', 'Dvořák', 'Novák', 'Horváth', 'Nagy', 'Popescu',
  'Ivanova', 'Petrov', 'Smirnov', 'Rossi', 'Bianchi', 'Romano', 'Esposito', 'Ferrari', 'Costa',
  'Silva', 'Santos', 'Oliveira', 'Pereira', 'Gonçalves', 'Fernandes', 'Patel', 'Sharma', 'Gupta',
  'Iyer', 'Reddy', 'Nair', 'Chatterjee', 'Banerjee', 'Singh', 'Kumar', 'Wang', 'Li', 'Zhang',
  'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Kim', 'Lee', 'Park',
  'Choi', 'Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Sato', 'Yamamoto', 'Haddad', 'Khalil',
  'Mansour', 'Farah', 'Okafor', 'Adeyemi', 'Mensah', 'Okonkwo', 'Dlamini', 'Ndlovu', 'Mwangi',
  'Cohen', 'Levi', 'Friedman', 'Yılmaz', 'Kaya', 'Demir', 'van der Berg', 'de Vries', 'de la Cruz',
  'van Dijk', 'MacDonald', 'McAllister', 'Fitzgerald', 'Ferreira-Lopes', 'Smith-Jones',
  'Abu-Bakr', 'Al-Sayed', 'Ben-David', 'St. John',
] as const;

export const MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW';

/** Fictional company domains; the second is the subsidiary some people belong to. */
export const COMPANIES: readonly (readonly [string, string])[] = [
  ['northwind.example', 'northwind-eu.example'],
  ['contoso.example', 'contoso-labs.example'],
  ['fabrikam.example', 'fabrikam.example.org'],
  ['tailspin.example', 'tailspin-apac.example'],
  ['wideworld.example', 'wideworld-importers.example'],
  ['adatum.example', 'adatum-health.example'],
];

export const REGIONS = ['EMEA', 'NA', 'APAC', 'LATAM', 'DACH', 'UK&I', 'Nordics', 'India', 'ANZ', 'Benelux'] as const;
export const TEAMS = [
  'Platform', 'Payments', 'Mobile', 'Growth', 'Enterprise', 'Mid-Market', 'SMB', 'Core',
  'Infrastructure', 'Security', 'Partnerships', 'Field', 'Inside', 'Tier 2', 'Onboarding',
  'Brand', 'Demand Gen', 'FP&A', 'Treasury', 'Tax', 'Procurement', 'Facilities', 'Talent',
  'Total Rewards', 'Compliance', 'Privacy', 'Research', 'Analytics', 'Data Platform', 'Helpdesk',
] as const;

/**
 * Names of the small groups (under 10 members). Two hold an apostrophe and one double quotes, so
 * their Python literals need the other quote character.
 */
export const SMALL_GROUP_NAMES = [
  "Founders' Office",
  'Project "Atlas" Core',
  "Women's Leadership Circle",
  'AI Council',
  'Exec Staff',
  'Board Liaison',
  'M&A Deal Team',
  'Internal Audit',
  "Chief of Staff's Team",
  'Red Team',
  'Pilot: Legal AI',
  'Works Council',
] as const;

/** The cross-cutting access group most rollouts have. */
export const BROAD_GROUP_NAME = 'SG-ChatGPT-Users';

/** Offices by UTC offset (minutes), for location groups in workspaces with many groups. */
export const OFFICES: readonly (readonly [number, string])[] = [
  [-480, 'San Francisco'], [-420, 'Denver'], [-360, 'Chicago'], [-300, 'New York'], [-300, 'Toronto'],
  [0, 'London'], [0, 'Dublin'], [60, 'Paris'], [60, 'Berlin'], [60, 'Amsterdam'], [120, 'Athens'],
  [330, 'Bengaluru'], [480, 'Singapore'], [540, 'Tokyo'], [600, 'Sydney'], [60, 'Kraków'],
];

export const GPT_SUBJECTS = [
  'Contract', 'Sales Email', 'Release Notes', 'RFP', 'Policy', 'SQL', 'Brand Voice', 'Onboarding',
  'Expense Policy', 'Incident Postmortem', 'Job Description', 'Board Deck', 'Customer Reply',
  'Code Review', 'Pricing', 'Competitor', 'Meeting Notes', 'Travel Policy', 'OKR', 'Forecast',
  'Translation', 'Legal Clause', 'Security Questionnaire', 'Interview', 'Survey', 'Invoice',
  'Press Release', 'Churn', 'Roadmap', 'Support Macro',
] as const;
export const GPT_ROLES = [
  'Reviewer', 'Coach', 'Drafter', 'Assistant', 'Helper', 'Checker', 'Analyst', 'Buddy', 'Writer',
  'Explainer', 'Summarizer', 'Builder', 'Navigator', 'Copilot', 'Guru',
] as const;
export const GPT_DESCRIPTIONS = [
  'Drafts a first version from your notes, in our house style.',
  'Checks a draft against our policy and lists what to fix.',
  'Answers questions from the internal handbook, with links to the source pages.',
  'Turns raw numbers into a short, plain-English summary for leadership.',
  'Suggests replies to customers; always review before sending.',
  'Explains a piece of code, then proposes tests for it.',
  'Compares two versions, highlights changes, and flags risky ones.',
  'Helps you prepare: agenda, questions to ask, and follow-ups.',
  'Writes in the tone of our brand guide, "friendly but precise".',
  "Built by the ops team; ask it anything about last quarter's process changes.",
  'Translates between English, French, German and Spanish,\nkeeping product names untouched.',
  '',
] as const;

export const PROJECT_SUBJECTS = [
  'Q3 planning', 'Q4 planning', 'FY26 budget', 'Launch', 'Website refresh', 'Hiring plan',
  'Vendor review', 'Migration', 'Customer research', 'Pricing study', 'Renewals', 'Audit prep',
  'Offsite', 'Board prep', 'Roadmap', 'Partner program', 'Support backlog', 'Data cleanup',
  'Security review', 'Onboarding revamp', 'Campaign', 'RFP response', 'Team wiki', 'Postmortems',
] as const;
export const PROJECT_DESCRIPTIONS = [
  'Shared notes, files and chats for the project.',
  'Working space: drafts, decisions and open questions.',
  'Everything we need for the review, in one place.',
  'Research notes and interview summaries.',
  "Owner's scratchpad; ask before editing files.",
  'Plans, numbers, and the final deck.',
  '',
  '',
] as const;
