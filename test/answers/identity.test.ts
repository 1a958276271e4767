/** Email → directory account → role (docs/design.md §7), as of the newest directory snapshot. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveIdentity } from '../../src/core/access/identity.ts';
import { roleFromUserRole } from '../../src/core/access/roles.ts';
import { findAccountsByEmail } from '../../src/store/directory-accounts.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { addDirectorySnapshot } from './support.ts';

describe('directory roles', () => {
  it.each([
    ['account-owner', 'owner'],
    ['account-admin', 'admin'],
    ['standard-user', 'member'],
    ['Account-Admin', 'admin'],
    ['', 'member'],
    [null, 'member'],
  ])('%s → %s', (userRole, role) => {
    expect(roleFromUserRole(userRole)).toBe(role);
  });
});

describe.each(backends())('identity on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  const who = (email: string) => resolveIdentity(store.db, { kind: 'person', email });

  it('knows nobody before a directory is imported', async () => {
    expect(await who('ann@example.com')).toMatchObject({ standing: 'no-directory', directoryRole: 'member', directoryAsOf: null });
  });

  it('matches emails whatever their case, on both sides', async () => {
    await addDirectorySnapshot(store.db, '2026-11-21', [{ email: 'Ann.Lee@Example.COM', user_role: 'account-owner' }]);
    expect(await who('ann.lee@example.com')).toMatchObject({ standing: 'found', directoryRole: 'owner' });
    expect(await who('ANN.LEE@EXAMPLE.COM')).toMatchObject({ standing: 'found', directoryRole: 'owner' });
    expect(await who('ann@example.com')).toMatchObject({ standing: 'unknown', directoryRole: 'member' });
  });

  it('gives an email with several accounts the highest role among its enabled ones', async () => {
    await addDirectorySnapshot(store.db, '2026-11-21', [
      { email: 'bo@example.com', user_role: 'standard-user', public_id: 'user-bo-1' },
      { email: 'Bo@example.com', user_role: 'account-admin', public_id: 'user-bo-2' },
      { email: 'cy@example.com', user_role: 'account-owner', user_status: 'deleted', public_id: 'user-cy-1' },
      { email: 'cy@example.com', user_role: 'standard-user', public_id: 'user-cy-2' },
    ]);
    const bo = await who('bo@example.com');
    expect(bo).toMatchObject({ standing: 'found', directoryRole: 'admin' });
    expect(bo.kind === 'person' && bo.accounts.length).toBe(2);
    // The deleted owner account gives nothing: cy is a member.
    expect(await who('cy@example.com')).toMatchObject({ standing: 'found', directoryRole: 'member' });
  });

  it('does not let a pending or deleted account in', async () => {
    await addDirectorySnapshot(store.db, '2026-11-21', [
      { email: 'dee@example.com', user_role: 'account-admin', user_status: 'pending', public_id: null },
      { email: 'eve@example.com', user_role: 'account-owner', user_status: 'deleted' },
    ]);
    expect(await who('dee@example.com')).toMatchObject({ standing: 'not-enabled', directoryRole: 'member' });
    expect(await who('eve@example.com')).toMatchObject({ standing: 'not-enabled', directoryRole: 'member' });
  });

  it('reads the newest snapshot, and of two ending the same day the shorter one', async () => {
    await addDirectorySnapshot(store.db, '2026-10-31', [{ email: 'fay@example.com', user_role: 'account-admin' }], '2026-10-01');
    await addDirectorySnapshot(store.db, '2026-11-28', [{ email: 'fay@example.com', user_role: 'account-owner' }], '2026-11-01');
    await addDirectorySnapshot(store.db, '2026-11-28', [{ email: 'fay@example.com', user_role: 'standard-user' }], '2026-11-22');
    const lookup = await findAccountsByEmail(store.db, 'fay@example.com');
    expect(lookup.asOf).toBe('2026-11-28');
    expect(lookup.accounts.map((a) => a.userRole)).toEqual(['standard-user']);
    expect(await who('fay@example.com')).toMatchObject({ directoryRole: 'member', directoryAsOf: '2026-11-28' });
  });

  it('does not consult the directory for the operator', async () => {
    expect(await resolveIdentity(store.db, { kind: 'operator' })).toEqual({ kind: 'operator' });
  });
});
