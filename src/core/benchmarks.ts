/**
 * Benchmark medians per industry (docs/design.md §5). The shipped figures are ILLUSTRATIVE placeholders
 * chosen to be plausible, not measurements: every reply that shows them says so, until an admin
 * imports their own table.
 */
export const BENCHMARK_METRICS = ['activation_rate', 'wau_per_activated_user', 'messages_per_wau'] as const;
export type BenchmarkMetric = (typeof BENCHMARK_METRICS)[number];

export interface IndustryMedians {
  readonly key: string;
  readonly label: string;
  readonly medians: Readonly<Record<BenchmarkMetric, number>>;
}

export const ILLUSTRATIVE_MEDIANS: readonly IndustryMedians[] = [
  { key: 'technology', label: 'Technology', medians: { activation_rate: 0.82, wau_per_activated_user: 0.61, messages_per_wau: 48 } },
  { key: 'financial-services', label: 'Financial services', medians: { activation_rate: 0.74, wau_per_activated_user: 0.52, messages_per_wau: 37 } },
  { key: 'healthcare', label: 'Healthcare', medians: { activation_rate: 0.66, wau_per_activated_user: 0.44, messages_per_wau: 29 } },
  { key: 'retail', label: 'Retail and consumer goods', medians: { activation_rate: 0.69, wau_per_activated_user: 0.47, messages_per_wau: 31 } },
  { key: 'manufacturing', label: 'Manufacturing', medians: { activation_rate: 0.63, wau_per_activated_user: 0.43, messages_per_wau: 27 } },
  { key: 'professional-services', label: 'Professional services', medians: { activation_rate: 0.8, wau_per_activated_user: 0.58, messages_per_wau: 44 } },
  { key: 'education', label: 'Education', medians: { activation_rate: 0.71, wau_per_activated_user: 0.49, messages_per_wau: 33 } },
  { key: 'public-sector', label: 'Public sector', medians: { activation_rate: 0.6, wau_per_activated_user: 0.4, messages_per_wau: 24 } },
  { key: 'media', label: 'Media and entertainment', medians: { activation_rate: 0.76, wau_per_activated_user: 0.55, messages_per_wau: 40 } },
];

export const DEFAULT_INDUSTRY = 'technology';

export function findIndustry(key: string): IndustryMedians | undefined {
  const k = key.trim().toLowerCase();
  return ILLUSTRATIVE_MEDIANS.find((i) => i.key === k || i.label.toLowerCase() === k);
}
