/**
 * An admin-supplied impact question catalog (docs/design.md §5), replacing the one in use:
 * `{"questions":[{"question_id","dimension","text","answers":[{"answer_id","label","positive"}]}]}`.
 * Question ids are unique, dimensions and texts non-empty (dimension names are free text), each
 * question has at least two answers with unique ids, at least one of them positive.
 */
import { sql } from 'kysely';
import type { DbOrTx, ImpactAnswer } from '../store/schema.ts';
import type { ImportOptions, ImportResult } from './import-types.ts';
import { parseLocatedJson, JsonSyntaxError, type LocatedJson } from './located-json.ts';
import { Problems, fail } from './problems.ts';
import { inTransaction } from './transaction.ts';
import { findInvalidUtf8 } from './utf8.ts';
import { guardWorkspace, recordImport } from './workspace-guard.ts';
import { createHash } from 'node:crypto';

/** A catalog is a few kilobytes; anything this large is not one. */
export const MAX_CATALOG_BYTES = 5 * 1024 * 1024;

export interface CatalogQuestion {
  question_id: string;
  dimension: string;
  text: string;
  answers: ImpactAnswer[];
}

const QUESTION_KEYS = ['question_id', 'dimension', 'text', 'answers'];
const ANSWER_KEYS = ['answer_id', 'label', 'positive'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes the bytes (strict UTF-8, BOM allowed) and checks the catalog's shape. */
export function parseCatalog(
  name: string,
  bytes: Buffer,
): { questions: CatalogQuestion[]; warnings: string[] } {
  const bad = findInvalidUtf8(bytes, 1);
  if (bad.length > 0) {
    const line = 1 + bytes.subarray(0, bad[0]).filter((b) => b === 10).length;
    fail(name, line, undefined, 'bytes that are not UTF-8 (save the file as UTF-8)');
  }
  let text = bytes.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') fail(name, 1, undefined, 'the file is empty: a catalog is a JSON object {"questions": [...]}');
  let json: LocatedJson;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      if (looksLikeEvents(text)) {
        fail(name, 1, undefined, 'this looks like usage events (one JSON object per line): load it with `wsa ingest`, not `wsa import`');
      }
      fail(name, error.line, undefined, `not valid JSON: ${error.message}`);
    }
    if (error instanceof RangeError) fail(name, 1, undefined, 'not a catalog: the JSON is nested too deeply');
    throw error;
  }
  const problems = new Problems(name);
  const warnings = new Set<string>();
  const root = json.value;
  if (!isObject(root) || !Array.isArray(root.questions)) {
    fail(name, isObject(root) ? json.lineOf(root) : 1, 'questions', 'a catalog is a JSON object with a "questions" list');
  }
  for (const key of Object.keys(root)) {
    if (key !== 'questions') warnings.add(`ignored member "${key}" at the top level (not a catalog field)`);
  }
  const list = root.questions as unknown[];
  if (list.length === 0) problems.add(json.lineOf(root, 'questions'), 'questions', 'the list is empty; a catalog has at least one question');
  const seen = new Map<string, number>();
  const questions: CatalogQuestion[] = [];
  list.forEach((q, i) => {
    const path = `questions[${i}]`;
    const qLine = json.lineOf(list, i);
    if (!isObject(q)) {
      problems.add(qLine, path, 'a question is an object {"question_id", "dimension", "text", "answers"}');
      return;
    }
    const at = (key: string) => json.lineOf(q, key);
    const text = (key: string): string | null => {
      const v = q[key];
      if (typeof v === 'string' && v.trim() !== '') return v;
      problems.add(v === undefined ? qLine : at(key), `${path}.${key}`, v === undefined ? 'is missing' : 'must be a non-empty string');
      return null;
    };
    for (const key of Object.keys(q)) if (!QUESTION_KEYS.includes(key)) warnings.add(`ignored question member "${key}" (not a catalog field)`);
    const id = text('question_id');
    if (id !== null) {
      const earlier = seen.get(id);
      if (earlier !== undefined) problems.add(at('question_id'), `${path}.question_id`, `"${id}" is also the id of the question on line ${earlier}; ids are unique`);
      else seen.set(id, at('question_id'));
    }
    const dimension = text('dimension');
    const qText = text('text');
    const answers = q.answers;
    if (!Array.isArray(answers)) {
      problems.add(answers === undefined ? qLine : at('answers'), `${path}.answers`, answers === undefined ? 'is missing' : 'must be a list of answers');
      return;
    }
    if (answers.length < 2) problems.add(at('answers'), `${path}.answers`, `has ${answers.length} answer${answers.length === 1 ? '' : 's'}; a question needs at least 2`);
    const parsed: ImpactAnswer[] = [];
    const answerIds = new Set<string>();
    answers.forEach((a, j) => {
      const aPath = `${path}.answers[${j}]`;
      const aLine = json.lineOf(answers, j);
      if (!isObject(a)) {
        problems.add(aLine, aPath, 'an answer is an object {"answer_id", "label", "positive"}');
        return;
      }
      for (const key of Object.keys(a)) if (!ANSWER_KEYS.includes(key)) warnings.add(`ignored answer member "${key}" (not a catalog field)`);
      const where = (key: string) => (a[key] === undefined ? aLine : json.lineOf(a, key));
      const answerId = a.answer_id;
      const label = a.label;
      const positive = a.positive;
      let ok = true;
      if (typeof answerId !== 'string' || answerId.trim() === '') {
        problems.add(where('answer_id'), `${aPath}.answer_id`, answerId === undefined ? 'is missing' : 'must be a non-empty string');
        ok = false;
      } else if (answerIds.has(answerId)) {
        problems.add(where('answer_id'), `${aPath}.answer_id`, `"${answerId}" appears twice in this question`);
        ok = false;
      } else answerIds.add(answerId);
      if (typeof label !== 'string' || label.trim() === '') {
        problems.add(where('label'), `${aPath}.label`, label === undefined ? 'is missing' : 'must be a non-empty string');
        ok = false;
      }
      if (typeof positive !== 'boolean') {
        problems.add(where('positive'), `${aPath}.positive`, positive === undefined ? 'is missing' : 'must be true or false');
        ok = false;
      }
      if (ok) parsed.push({ answer_id: answerId as string, label: label as string, positive: positive as boolean });
    });
    if (answers.length >= 2 && parsed.length === answers.length && !parsed.some((a) => a.positive)) {
      problems.add(at('answers'), `${path}.answers`, 'no answer is positive; share_positive needs at least one');
    }
    if (id !== null && dimension !== null && qText !== null) {
      questions.push({ question_id: id, dimension, text: qText, answers: parsed });
    }
  });
  problems.throwIfAny();
  return { questions, warnings: [...warnings] };
}

/** An events file (NDJSON, docs/design.md §4.2) starts with an object holding the event fields. */
function looksLikeEvents(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).trim();
  try {
    const value = JSON.parse(firstLine) as unknown;
    return isObject(value) && 'conversation_id' in value && 'ts' in value;
  } catch {
    return false;
  }
}

export async function importCatalog(
  db: DbOrTx,
  name: string,
  bytes: Buffer,
  options: ImportOptions,
): Promise<ImportResult> {
  const { questions, warnings } = parseCatalog(name, bytes);
  return inTransaction(db, async (trx) => {
    const guard = await guardWorkspace(trx, { source: name, demo: options.demo ?? false });
    const importId = await recordImport(trx, {
      kind: 'catalog',
      source: name,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: questions.length,
      detail: { warnings },
      at: options.clock.now(),
    });
    const old = await trx.deleteFrom('impact_questions').executeTakeFirst();
    const replacedRows = Number(old.numDeletedRows);
    await sql`
      insert into impact_questions (question_id, position, dimension, text, answers)
      select t.question_id, t.position, t.dimension, t.text, t.answers
      from json_to_recordset(cast(${JSON.stringify(questions.map((q, i) => ({ ...q, position: i + 1 })))} as json))
        as t(question_id text, position integer, dimension text, text text, answers jsonb)`.execute(trx);
    return {
      file: name,
      kind: 'catalog',
      rows: questions.length,
      warnings,
      replacedDemo: guard.replacedDemo,
      ...(guard.clearedSettings ? { clearedSettings: true } : {}),
      importId,
      ...(replacedRows > 0 ? { replaced: { kind: 'catalog', rows: replacedRows } } : {}),
    };
  });
}
