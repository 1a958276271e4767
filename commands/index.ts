/**
 * The commands of `/wsa`, one module each, in the order help lists them. The composition root
 * hands this registry to `answer()`; help, the Slack manifest and the Teams command list read it.
 */
import { createRegistry, type Command, type Registry } from '../src/core/registry.ts';
import { command as help } from './help.ts';
import { command as overview } from './overview.ts';
import { command as activeUsers } from './active-users.ts';
import { command as messages } from './messages.ts';
import { command as groups } from './groups.ts';
import { command as benchmarks } from './benchmarks.ts';
import { command as impact } from './impact.ts';
import { command as tasks } from './tasks.ts';
import { command as heatmap } from './heatmap.ts';
import { command as users } from './users.ts';
import { command as topUsers } from './top-users.ts';
import { command as powerUsers } from './power-users.ts';
import { command as gpts } from './gpts.ts';
import { command as projects } from './projects.ts';
import { command as skills } from './skills.ts';
import { command as apps } from './apps.ts';
import { command as settings } from './settings.ts';
import { command as whoami } from './whoami.ts';
import { command as grant } from './grant.ts';
import { command as revoke } from './revoke.ts';
import { command as audit } from './audit.ts';
import { command as freshness } from './freshness.ts';
import { command as digest } from './digest.ts';
import { command as exportReport } from './export.ts';

export const COMMANDS: readonly Command[] = [
  help,
  overview,
  activeUsers,
  messages,
  groups,
  users,
  benchmarks,
  impact,
  tasks,
  heatmap,
  topUsers,
  powerUsers,
  gpts,
  projects,
  skills,
  apps,
  freshness,
  exportReport,
  settings,
  grant,
  revoke,
  audit,
  digest,
  whoami,
];

export const registry: Registry = createRegistry(COMMANDS);
