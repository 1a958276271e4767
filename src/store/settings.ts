/** Workspace settings (docs/design.md §4.3): one row, defaults applied on read. */
import type { DbOrTx } from './schema.ts';

export const MIN_GROUP_SIZE_FLOOR = 10;

export interface WorkspaceSettings {
  seatsPurchased: number | null;
  benchmarkIndustry: string | null;
  euDataResidency: boolean;
  /** The effective value: the stored choice, else on (off with EU data residency). */
  taskInsights: boolean;
  /** Whether taskInsights was chosen explicitly rather than defaulted. */
  taskInsightsExplicit: boolean;
  minGroupSize: number;
}

export interface SettingsPatch {
  seatsPurchased?: number | null;
  benchmarkIndustry?: string | null;
  euDataResidency?: boolean;
  /** null returns to the default. */
  taskInsights?: boolean | null;
  minGroupSize?: number;
}

export async function getSettings(db: DbOrTx): Promise<WorkspaceSettings> {
  const row = await db.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirst();
  const eu = row?.eu_data_residency ?? false;
  const stored = row?.task_insights ?? null;
  return {
    seatsPurchased: row?.seats_purchased ?? null,
    benchmarkIndustry: row?.benchmark_industry ?? null,
    euDataResidency: eu,
    taskInsights: stored ?? !eu,
    taskInsightsExplicit: stored !== null,
    minGroupSize: row?.min_group_size ?? MIN_GROUP_SIZE_FLOOR,
  };
}

/** Writes a validated patch (validation lives with the settings command). */
export async function updateSettings(db: DbOrTx, patch: SettingsPatch, at: Date): Promise<void> {
  const values = {
    ...(patch.seatsPurchased !== undefined ? { seats_purchased: patch.seatsPurchased } : {}),
    ...(patch.benchmarkIndustry !== undefined ? { benchmark_industry: patch.benchmarkIndustry } : {}),
    ...(patch.euDataResidency !== undefined ? { eu_data_residency: patch.euDataResidency } : {}),
    ...(patch.taskInsights !== undefined ? { task_insights: patch.taskInsights } : {}),
    ...(patch.minGroupSize !== undefined ? { min_group_size: patch.minGroupSize } : {}),
    updated_at: at,
  };
  await db
    .insertInto('settings')
    .values({ id: 1, seats_purchased: null, benchmark_industry: null, task_insights: null, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}
