/**
 * The official Adaptive Cards library as a reader of our cards: the parse and validation events
 * it reports (an unknown element, a bad value, a missing required property) are problems.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The package's ESM entry does not load in Node (extension-less imports); its bundle does.
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

export function cardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

type Node = Record<string, unknown>;

/** Every element of a card body, depth first (containers, column sets, columns, rich text). */
export function cardElements(card: { body: readonly unknown[] }): Node[] {
  const out: Node[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    out.push(n);
    for (const key of ['items', 'columns', 'inlines', 'body']) {
      const children = n[key];
      if (Array.isArray(children)) children.forEach(visit);
    }
  };
  card.body.forEach(visit);
  return out;
}

/** All the text a person reads on the card, one line per text run or fact. */
export function cardText(card: { body: readonly unknown[] }): string {
  const lines: string[] = [];
  for (const n of cardElements(card)) {
    if (n.type === 'TextRun' || n.type === 'TextBlock') lines.push(String(n.text));
    if (n.type === 'FactSet') for (const f of n.facts as Array<{ title: string; value: string }>) lines.push(`${f.title}: ${f.value}`);
  }
  return lines.join('\n');
}
