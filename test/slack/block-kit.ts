/**
 * A structural check of Block Kit as Slack's documentation states it, for the blocks the adapter
 * sends: known block types, non-empty texts within their limits, ≤ 50 blocks, ≤ 10 fields and
 * context elements, button values ≤ 2000. Returns the problems found (none = valid).
 */

const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
};

type Json = Record<string, unknown>;

function textObject(t: unknown, where: string, max: number, problems: string[], kinds = ['mrkdwn', 'plain_text']): void {
  const o = t as Json | undefined;
  if (!o || typeof o !== 'object') return void problems.push(`${where}: missing text object`);
  if (!kinds.includes(String(o.type))) problems.push(`${where}: text type ${String(o.type)}`);
  if (typeof o.text !== 'string' || o.text.length === 0) problems.push(`${where}: empty text`);
  else if (o.text.length > max) problems.push(`${where}: text of ${o.text.length} > ${max}`);
}

export function blockKitProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks > ${LIMITS.blocks}`);
  blocks.forEach((b: Json, i) => {
    const at = `block ${i} (${String(b.type)})`;
    switch (b.type) {
      case 'header':
        textObject(b.text, at, LIMITS.headerText, problems, ['plain_text']);
        break;
      case 'section': {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (b.text !== undefined) textObject(b.text, at, LIMITS.sectionText, problems);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (!Array.isArray(fields) || fields.length === 0) problems.push(`${at}: empty fields`);
          else if (fields.length > LIMITS.fields) problems.push(`${at}: ${fields.length} fields`);
          else fields.forEach((f, j) => textObject(f, `${at} field ${j}`, LIMITS.fieldText, problems));
        }
        break;
      }
      case 'context': {
        const elements = b.elements as unknown[];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${at}: no elements`);
        else if (elements.length > LIMITS.contextElements) problems.push(`${at}: ${elements.length} elements`);
        else elements.forEach((e, j) => textObject(e, `${at} element ${j}`, LIMITS.contextText, problems));
        break;
      }
      case 'divider':
        break;
      case 'actions': {
        const elements = b.elements as Json[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) problems.push(`${at}: bad elements`);
        else
          for (const e of elements) {
            if (e.type !== 'button') problems.push(`${at}: element ${String(e.type)}`);
            textObject(e.text, `${at} button`, LIMITS.buttonText, problems, ['plain_text']);
            if (typeof e.action_id !== 'string' || e.action_id.length > LIMITS.actionId) problems.push(`${at}: action_id`);
            if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue) problems.push(`${at}: value too long`);
          }
        break;
      }
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

/** Every text in the blocks, joined (for "does it mention …" checks). */
export function blockText(blocks: unknown): string {
  return JSON.stringify(blocks);
}
