/**
 * Impact survey charts: share of respondents answering positively per dimension, and per question
 * how the answers split (100% stacked bars, positive answers in blues, the others in oranges).
 */
import { barChartHeight, categoryAxisY, endLabelHeadroom, endLabelMark, onSameScale, plotWidthBeside } from './bars.ts';
import {
  chartSubject,
  cleanLabel,
  distinctLabels,
  fallbackDocument,
  finite,
  formatInteger,
  formatPercent,
  formatValue,
  lowerFirst,
  NO_DATA,
  proseLabel,
  subtitleClause,
  textTable,
} from './format.ts';
import {
  chartFrame,
  emptyMessageLayer,
  FONT_SIZE,
  LABEL_LIMIT,
  MUTED_TEXT_COLOR,
  OTHER_SHADES,
  PALETTE,
  POSITIVE_SHADES,
} from './theme.ts';
import type { AnswerDistributionInput, ChartAttachment, ImpactDimensionsInput } from './types.ts';

const PERCENT_AXIS = { format: '.0%', values: [0, 0.25, 0.5, 0.75, 1], grid: true };

function dimensionLabel(d: { dimension: string; label?: string }): string {
  if (d.label) return d.label;
  const words = d.dimension.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function buildImpactDimensionsChart(input: ImpactDimensionsInput): ChartAttachment {
  const dims = input.dimensions.slice(0, 20);
  const labels = distinctLabels(dims.map(dimensionLabel), 32, LABEL_LIMIT.axis);
  const notes: string[] = [];
  const respondents = input.respondents ?? null;
  const participation = finite(input.participation_rate);
  if (respondents !== null || participation !== null) {
    const parts: string[] = [];
    if (respondents !== null) parts.push(`${formatInteger(respondents)} respondent${respondents === 1 ? '' : 's'}`);
    if (participation !== null) parts.push(`participation ${formatPercent(participation)}`);
    notes.push(parts.join(' · '));
  }
  const rows = dims.map((d, i) => {
    const share = clampShare(finite(d.share_positive));
    return {
      dimension: labels[i]!,
      share,
      share_or_zero: share ?? 0,
      text: share === null ? 'no answers' : `${formatPercent(share)}  (n=${formatInteger(d.respondents)})`,
    };
  });
  const hasValue = rows.some((r) => r.share !== null);
  const y = categoryAxisY('dimension', labels);
  const x = {
    field: 'share',
    type: 'quantitative',
    scale: { domain: [0, endLabelHeadroom(rows.map((r) => r.text), plotWidthBeside(labels))], nice: false },
    axis: { ...PERCENT_AXIS, title: 'Share of respondents answering positively' },
  };
  const layers: Record<string, unknown>[] = [
    { mark: { type: 'bar', color: PALETTE[0] }, encoding: { y, x } },
    {
      mark: endLabelMark(),
      encoding: { y, x: onSameScale(x, 'share_or_zero'), text: { field: 'text', type: 'nominal' } },
    },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(dims.length, notes.length * 16) }, notes),
    data: { values: rows },
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const answered = dims
    .map((d, i) => ({ label: labels[i]!, share: clampShare(finite(d.share_positive)) }))
    .filter((d): d is { label: string; share: number } => d.share !== null);
  let altText = `Bar chart of ${chartSubject(input)}: there are no survey answers for this period.`;
  if (answered.length > 0) {
    const best = answered.reduce((a, b) => (b.share > a.share ? b : a));
    const worst = answered.reduce((a, b) => (b.share < a.share ? b : a));
    const range =
      answered.length === 1
        ? `${lowerFirst(proseLabel(best.label))} ${formatPercent(best.share)}`
        : `highest ${lowerFirst(proseLabel(best.label))} ${formatPercent(best.share)}, lowest ${lowerFirst(proseLabel(worst.label))} ${formatPercent(worst.share)}`;
    altText =
      `Bar chart of the share of respondents reporting a positive impact, by dimension${subtitleClause(input)}` +
      `${notes[0] ? `, ${notes[0]}` : ''}: ${range}.`;
  }
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      ['Dimension', 'Positive', 'Answers'],
      dims.map((d, i) => [labels[i]!, formatValue(clampShare(finite(d.share_positive)), 'percent'), formatInteger(d.respondents)]),
      { alignRight: [false, true, true] },
    ),
  );
  return { kind: 'impact-dimensions', spec, altText, fallbackText };
}

const MAX_QUESTIONS = 10;
/** Question labels wrap onto at most two lines of this many characters. */
const QUESTION_LINE_CHARS = 26;
/** Segments narrower than this share carry no percentage label. */
const MIN_LABELLED_SHARE = 0.08;
/** Shades dark enough to need white text. */
const DARK_SHADES = new Set<string>([POSITIVE_SHADES[0], POSITIVE_SHADES[1], OTHER_SHADES[0]]);
const TONE_NOTE = 'Blue: positive answers; orange: the others; darker is further from neutral';

/**
 * Shade of the answer at `index` among its question's answers: answers that are not positive in
 * oranges, darkest first (most negative); positive answers in blues, darkest last (most positive).
 */
function answerShade(answers: readonly { positive: boolean }[], index: number): string {
  const answer = answers[index]!;
  const same = answers.map((a, i) => ({ ...a, i })).filter((a) => a.positive === answer.positive);
  const rank = same.findIndex((a) => a.i === index);
  if (answer.positive) return POSITIVE_SHADES[Math.max(0, Math.min(POSITIVE_SHADES.length - 1, same.length - 1 - rank))]!;
  return OTHER_SHADES[Math.min(OTHER_SHADES.length - 1, rank)]!;
}

/** Word-wrap onto at most two lines; the second is cut with an ellipsis. Lines joined by "\n". */
function wrapTwoLines(text: string, width: number): string {
  const words = cleanLabel(text, 200).split(' ');
  const lines: string[] = [''];
  for (const word of words) {
    const current = lines[lines.length - 1]!;
    if (current === '' || Array.from(`${current} ${word}`).length <= width) {
      lines[lines.length - 1] = current === '' ? word : `${current} ${word}`;
    } else if (lines.length < 2) {
      lines.push(word);
    } else {
      lines[1] = `${lines[1]} ${word}`;
    }
  }
  return lines.map((line) => cleanLabel(line, width)).join('\n');
}

export function buildAnswerDistributionChart(input: AnswerDistributionInput): ChartAttachment {
  const questions = input.questions.slice(0, MAX_QUESTIONS).map((q) => ({
    ...q,
    answers: q.answers.map((a) => ({ ...a, label: cleanLabel(a.label, 30), respondents: Math.max(0, finite(a.respondents) ?? 0) })),
  }));
  // Wrapped labels (cleaned line by line; distinctLabels would flatten the line break).
  const seen = new Map<string, number>();
  const qLabels = questions.map((q) => {
    const label = wrapTwoLines(q.text || q.question_id, QUESTION_LINE_CHARS);
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} (${n})`;
  });

  // One legend entry per answer when every question offers the same answers (a shared scale);
  // otherwise colours say positive / not positive and how strongly, explained in a note.
  const signature = (q: (typeof questions)[number]) => JSON.stringify(q.answers.map((a) => [a.label, a.positive]));
  const shared = questions.length > 0 && questions.every((q) => signature(q) === signature(questions[0]!));
  const legendAnswers = shared ? questions[0]!.answers : [];

  const notes: string[] = [];
  if (input.questions.length > questions.length) notes.push(`First ${questions.length} of ${input.questions.length} questions`);
  if (!shared) notes.push(TONE_NOTE);
  const segments: Record<string, unknown>[] = [];
  const summaries: { label: string; total: number; positive: number }[] = [];
  questions.forEach((q, qi) => {
    const total = q.answers.reduce((sum, a) => sum + a.respondents, 0);
    let start = 0;
    q.answers.forEach((a, ai) => {
      const share = total > 0 ? a.respondents / total : 0;
      const shade = answerShade(q.answers, ai);
      if (share > 0) {
        segments.push({
          question: qLabels[qi]!,
          answer: a.label,
          colour: shared ? a.label : shade,
          x0: start,
          x1: start + share,
          mid: start + share / 2,
          text: share >= MIN_LABELLED_SHARE ? formatPercent(share) : '',
          dark: DARK_SHADES.has(shade),
        });
      }
      start += share;
    });
    summaries.push({ label: q.text || q.question_id, total, positive: q.answers.filter((a) => a.positive).reduce((sum, a) => sum + a.respondents, 0) });
  });

  const hasValue = segments.length > 0;
  const legendRows = shared ? Math.ceil(legendAnswers.length / 3) : 0;
  const y = {
    ...categoryAxisY('question', qLabels),
    axis: {
      title: null,
      labelLimit: LABEL_LIMIT.axis + 20,
      labelFontSize: FONT_SIZE.label - 1,
      labelExpr: "split(datum.label, '\\n')",
      labelLineHeight: FONT_SIZE.label + 1,
    },
  };
  const x = {
    field: 'x0',
    type: 'quantitative',
    scale: { domain: [0, 1], nice: false },
    axis: { ...PERCENT_AXIS, title: 'Share of respondents' },
  };
  const colour = shared
    ? {
        field: 'colour',
        type: 'nominal',
        scale: { domain: legendAnswers.map((a) => a.label), range: legendAnswers.map((_, i) => answerShade(legendAnswers, i)) },
        legend: { title: null, symbolType: 'square', orient: 'bottom', columns: 3, labelLimit: 130 },
      }
    : { field: 'colour', type: 'nominal', scale: null, legend: null };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar', stroke: '#FFFFFF', strokeWidth: 1, cornerRadiusEnd: 0 },
      encoding: { y, x, x2: { field: 'x1' }, color: colour },
    },
    {
      mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: FONT_SIZE.markText - 1 },
      encoding: {
        y,
        x: onSameScale(x, 'mid'),
        text: { field: 'text', type: 'nominal' },
        color: { condition: { test: 'datum.dark', value: '#FFFFFF' }, value: '#1F1F1F' },
      },
    },
  ];
  // A question nobody answered keeps its row, saying so, rather than vanishing from the chart.
  const unanswered = summaries.flatMap((q, qi) => (q.total > 0 ? [] : [{ question: qLabels[qi]!, text: 'no answers' }]));
  if (unanswered.length > 0) {
    layers.push({
      data: { values: unanswered },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: FONT_SIZE.markText, color: MUTED_TEXT_COLOR },
      encoding: { y, x: { value: 0 }, text: { field: 'text', type: 'nominal' } },
    });
  }
  const spec = {
    ...chartFrame(input, { height: barChartHeight(questions.length * 1.3, 24 + legendRows * 20 + notes.length * 16) }, notes),
    data: { values: segments },
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const answered = summaries.filter((s) => s.total > 0).map((s) => ({ ...s, share: s.positive / s.total }));
  let altText = `Stacked bar chart of ${chartSubject(input)}: there are no survey answers for this period.`;
  if (answered.length > 0) {
    const best = answered.reduce((a, b) => (b.share > a.share ? b : a));
    const worst = answered.reduce((a, b) => (b.share < a.share ? b : a));
    altText =
      `Stacked bar chart of how respondents answered ${answered.length} question${answered.length === 1 ? '' : 's'}, ${chartSubject(input)}. ` +
      (answered.length === 1
        ? `${formatPercent(best.share)} answered positively (${formatInteger(best.total)} respondents).`
        : `Positive answers range from ${formatPercent(worst.share)} ("${proseLabel(worst.label)}") to ${formatPercent(best.share)} ("${proseLabel(best.label)}").`);
  }
  const tableRows = questions.flatMap((q, qi) => {
    const total = summaries[qi]!.total;
    const rows = q.answers.map((a, ai) => [
      ai === 0 ? q.text || q.question_id : '',
      `${a.label}${a.positive ? ' (+)' : ''}`,
      formatInteger(a.respondents),
      total > 0 ? formatPercent(a.respondents / total) : NO_DATA,
    ]);
    return rows.length > 0 ? rows : [[q.text || q.question_id, '', '0', NO_DATA]];
  });
  const fallbackText = fallbackDocument(
    input,
    [...notes.filter((n) => n !== TONE_NOTE), '(+) marks a positive answer'],
    textTable(['Question', 'Answer', 'Respondents', 'Share'], tableRows, { alignRight: [false, false, true, true], maxRows: 60 }),
  );
  return { kind: 'answer-distribution', spec, altText, fallbackText };
}

function clampShare(v: number | null): number | null {
  return v === null ? null : Math.max(0, Math.min(1, v));
}
