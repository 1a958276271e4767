/**
 * SCIM group names (docs/design.md §4.1): the `groups` cells map group id → name; the store keeps, per
 * id, the name from the newest snapshot that named it (`named_as_of`), and each snapshot's own
 * names (`snapshot_groups`, which exports read). A file names each group
 * once in practice; when two rows disagree, the first name is kept and a warning says so.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';

export class GroupNames {
  readonly #names = new Map<string, string>();
  #conflicts = 0;
  #firstConflict: string | undefined;

  note(groups: ReadonlyMap<string, string>): void {
    for (const [id, name] of groups) {
      const known = this.#names.get(id);
      if (known === undefined) this.#names.set(id, name);
      else if (known !== name) {
        this.#conflicts++;
        this.#firstConflict ??= id;
      }
    }
  }

  get size(): number {
    return this.#names.size;
  }

  warnings(): string[] {
    if (this.#conflicts === 0) return [];
    return [
      `group ${this.#firstConflict} is named differently on different rows (${this.#conflicts} time${this.#conflicts === 1 ? '' : 's'}); the first name was kept`,
    ];
  }

  /**
   * Keeps the names as the snapshot's own, and upserts them as of `asOf`: a name from an older
   * snapshot never overwrites a newer one.
   */
  async save(db: DbOrTx, asOf: string, snapshotId: number): Promise<void> {
    const rows = [...this.#names].map(([group_id, name]) => ({ group_id, name, name_key: name.toLowerCase() }));
    for (let i = 0; i < rows.length; i += 5000) {
      await sql`
        insert into snapshot_groups (snapshot_id, group_id, name)
        select ${snapshotId}, t.group_id, t.name
        from json_to_recordset(cast(${JSON.stringify(rows.slice(i, i + 5000))} as json)) as t(group_id text, name text)`.execute(db);
      await sql`
        insert into scim_groups (group_id, name, name_key, named_as_of)
        select t.group_id, t.name, t.name_key, cast(${asOf} as date)
        from json_to_recordset(cast(${JSON.stringify(rows.slice(i, i + 5000))} as json))
          as t(group_id text, name text, name_key text)
        on conflict (group_id) do update
          set name = excluded.name, name_key = excluded.name_key, named_as_of = excluded.named_as_of
          where scim_groups.named_as_of <= excluded.named_as_of`.execute(db);
    }
  }
}
