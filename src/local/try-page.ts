/**
 * The try-it page of local mode: `GET /` serves a page where a person types `/wsa …` and sees the
 * answer as Teams shows it — the Adaptive Card drawn in the page by the official `adaptivecards`
 * renderer, charts inline — with a switch to the Slack Block Kit of the same answer. It asks the
 * very `answer()` and card and block renderers the real endpoints use, as the operator or as an
 * email typed in the page (the role check included). Mounted only in local mode, on loopback.
 *
 * Routes: `GET /` (the page), `GET /try/adaptivecards.js` (the renderer, from the installed
 * package), `POST /try/ask` (`{"text", "as"?}` → `{"card", "slack"}`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { Reply } from '../core/reply.ts';
import type { Route } from '../server/http.ts';
import { sendJson } from '../server/http.ts';
import { readBodyWithin } from '../server/body.ts';
import { replyMessages } from '../adapters/slack/render-blocks.ts';
import { chartImages } from '../adapters/teams/chart-images.ts';
import { replyCard } from '../adapters/teams/render-card.ts';
import type { Logger } from '../log.ts';

export const TRY_PAGE_PATH = '/';
export const TRY_ASK_PATH = '/try/ask';
export const TRY_SCRIPT_PATH = '/try/adaptivecards.js';
const MAX_ASK_BYTES = 16 * 1024;

/** The core as the page sees it: command text and an optional email → a Reply. */
export type TryAnswer = (text: string, asEmail: string | null) => Promise<Reply>;

export interface TryPageOptions {
  readonly answer: TryAnswer;
  readonly renderChart?: (spec: Reply['charts'][number]['spec']) => Promise<Buffer>;
  readonly logger: Logger;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value: unknown = JSON.parse((await readBodyWithin(req, MAX_ASK_BYTES)).toString('utf8'));
  if (!value || typeof value !== 'object') throw new Error('not an object');
  return value as Record<string, unknown>;
}

export function tryPageRoutes(options: TryPageOptions): Route[] {
  const scriptPath = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
  let script: Promise<Buffer> | undefined;
  return [
    {
      path: TRY_PAGE_PATH,
      handler(req, res) {
        if (req.method !== 'GET') {
          sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'GET this page' } }, { allow: 'GET' });
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(PAGE),
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
        });
        res.end(PAGE);
      },
    },
    {
      path: TRY_SCRIPT_PATH,
      async handler(_req, res) {
        script ??= readFile(scriptPath);
        const body = await script;
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': body.length, 'cache-control': 'max-age=3600' });
        res.end(body);
      },
    },
    {
      path: TRY_ASK_PATH,
      async handler(req, res) {
        if (req.method !== 'POST') {
          sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'POST {"text"} here' } }, { allow: 'POST' });
          return;
        }
        let body: Record<string, unknown>;
        try {
          body = await readJson(req);
        } catch {
          sendJson(res, 400, { error: { code: 'bad_request', message: 'Send {"text": "/wsa overview", "as": "someone@example.com"}' } });
          return;
        }
        const text = typeof body.text === 'string' ? body.text.trim().replace(/^\/?wsa\b\s*/i, '') : '';
        const as = typeof body.as === 'string' && body.as.trim() ? body.as.trim() : null;
        const reply = await options.answer(text, as);
        const { images, failed } = await chartImages(reply, options.renderChart, options.logger);
        sendJson(res, 200, { card: replyCard(reply, { chartImages: images, chartsFailed: failed }), slack: replyMessages(reply) });
      },
    },
  ];
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wsa — try it</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: "Segoe UI", system-ui, -apple-system, sans-serif; margin: 0; background: #f0f2f5; color: #242424; }
  header { background: #1f3a5f; color: #fff; padding: 14px 24px; }
  header h1 { margin: 0; font-size: 20px; font-weight: 600; }
  header p { margin: 4px 0 0; font-size: 13px; opacity: .85; }
  main { max-width: 760px; margin: 20px auto; padding: 0 16px; }
  form { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  input { font: inherit; padding: 8px 10px; border: 1px solid #c8c8c8; border-radius: 4px; }
  #text { flex: 1 1 320px; font-family: ui-monospace, Menlo, Consolas, monospace; }
  #as { flex: 0 1 240px; }
  button { font: inherit; padding: 8px 16px; border: 0; border-radius: 4px; background: #1f3a5f; color: #fff; cursor: pointer; }
  .hint { font-size: 12px; color: #616161; margin: 8px 0 16px; }
  .toggle { font-size: 13px; margin: 12px 0; display: flex; gap: 6px; align-items: center; }
  #card { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); max-width: 560px; }
  #slack { display: none; background: #1e1e1e; color: #d4d4d4; padding: 12px; border-radius: 6px; font-size: 12px; overflow: auto; max-height: 70vh; }
  #status { font-size: 13px; color: #616161; min-height: 1.2em; }
</style>
</head>
<body>
<header><h1>wsa — try it</h1><p>Type what you would type in Teams or Slack. The answer is drawn as Teams shows it.</p></header>
<main>
  <form id="ask">
    <input id="text" name="text" value="/wsa overview" aria-label="Command" autocomplete="off">
    <input id="as" name="as" placeholder="ask as (email); empty: the operator" aria-label="Ask as">
    <button type="submit">Ask</button>
  </form>
  <p class="hint">Try <code>/wsa help</code>, <code>/wsa active-users team:Engineering last-12-weeks</code>, <code>/wsa groups</code>, <code>/wsa top-users</code>. Asking as an email checks that person's role, as in chat.</p>
  <label class="toggle"><input type="checkbox" id="show-slack"> Show the Slack Block Kit of this answer</label>
  <div id="status" role="status"></div>
  <div id="card"></div>
  <pre id="slack"></pre>
</main>
<script src="${TRY_SCRIPT_PATH}"></script>
<script>
  const form = document.getElementById('ask');
  const cardBox = document.getElementById('card');
  const slackBox = document.getElementById('slack');
  const status = document.getElementById('status');
  const toggle = document.getElementById('show-slack');
  toggle.addEventListener('change', () => {
    slackBox.style.display = toggle.checked ? 'block' : 'none';
    cardBox.style.display = toggle.checked ? 'none' : 'block';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Asking…';
    const started = performance.now();
    try {
      const res = await fetch('${TRY_ASK_PATH}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: form.text.value, as: form.as.value }) });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error ? answer.error.message : res.statusText);
      const card = new AdaptiveCards.AdaptiveCard();
      card.parse(answer.card);
      cardBox.replaceChildren(card.render());
      slackBox.textContent = JSON.stringify(answer.slack, null, 2);
      status.textContent = 'Answered in ' + Math.round(performance.now() - started) + ' ms.';
      document.body.dataset.answered = String(Number(document.body.dataset.answered || 0) + 1);
    } catch (error) {
      status.textContent = 'Could not ask: ' + error.message;
    }
  });
</script>
</body>
</html>
`;
