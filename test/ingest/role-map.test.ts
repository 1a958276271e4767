/**
 * The role-map file (docs/design.md §7): `email,role,groups`, recognised by its header, all or
 * nothing with line-numbered problems; it replaces the previous role-map file's grants and leaves
 * grants made in chat or with `wsa grant` alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { InvalidInputError } from '../../src/core/errors.ts';
import { importStream } from '../../src/ingest/import-files.ts';
import { describeImport } from '../../src/ingest/describe-import.ts';
import { silentLogger } from '../../src/log.ts';
import { addGrants, listGrants } from '../../src/store/grants.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { addDirectorySnapshot } from '../answers/support.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const options = { clock: fixedClock(NOW), logger: silentLogger() };

describe.each(backends())('a role-map file on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  beforeEach(async () => {
    await clearStore(store.db);
    await addDirectorySnapshot(store.db, '2026-11-21', [
      { email: 'lead@example.com', user_role: 'standard-user' },
      { email: 'cfo@example.com', user_role: 'standard-user' },
    ]);
    await store.db
      .insertInto('scim_groups')
      .values([
        { group_id: 'g-sales', name: 'Sales EMEA', name_key: 'sales emea', named_as_of: '2026-11-21' },
        { group_id: 'g-legal', name: 'Legal', name_key: 'legal', named_as_of: '2026-11-21' },
      ])
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  const load = (text: string, name = 'roles.csv') => importStream(store.db, [text], name, options);
  const summary = async () =>
    (await listGrants(store.db)).map((g) => `${g.emailKey} ${g.groupName ?? '*'} ${g.source}`).sort();

  it('gives grants, and the next file replaces them but not chat-made grants', async () => {
    await addGrants(store.db, { email: 'lead@example.com', groupIds: ['g-legal'], source: 'manual', grantedBy: 'owner@example.com', at: NOW });
    const first = await load('email,role,groups\nLEAD@example.com,analytics-viewer,sales emea;LEGAL\ncfo@example.com,Analytics-Viewer,\nnew@example.com,analytics-viewer,Legal\n');
    expect(first).toMatchObject({ kind: 'role-map', rows: 3 });
    expect(describeImport(first)).toMatch(/role-map file, 3 lines[\s\S]*new@example\.com/);
    expect(await summary()).toEqual([
      'cfo@example.com * role-map',
      'lead@example.com Legal manual',
      'lead@example.com Legal role-map',
      'lead@example.com Sales EMEA role-map',
      'new@example.com Legal role-map',
    ]);
    await load('email,role,groups\ncfo@example.com,analytics-viewer,Legal\n');
    expect(await summary()).toEqual(['cfo@example.com Legal role-map', 'lead@example.com Legal manual']);
  });

  it('is all or nothing, each problem with its line', async () => {
    await load('email,role,groups\ncfo@example.com,analytics-viewer,\n');
    const bad = load('email,role,groups\nlead@example.com,analytics-viewer,Sales EMAE\nnot-an-email,analytics-viewer,\nx@example.com,admin,\n');
    await expect(bad).rejects.toBeInstanceOf(InvalidInputError);
    const error = (await bad.catch((e: unknown) => e)) as InvalidInputError;
    expect(error.message).toMatch(/line 2.*groups.*Sales EMAE.*did you mean "Sales EMEA"/);
    expect(error.message).toMatch(/line 3.*email.*not-an-email/);
    expect(error.message).toMatch(/line 4.*role.*admin/);
    // Nothing changed.
    expect(await summary()).toEqual(['cfo@example.com * role-map']);
  });
});
