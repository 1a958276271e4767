// The JSON answer's row thread (sender-rows-thread.ts starts it with node:worker_threads):
// `workerData` carries every sender's count and the group names (as [id, name] pairs).
//
// Messages in:  rows                 a page of everySender's statement's rows (sender-rows.ts)
// Messages out: { page } | { error }   in the order the pages came
//
// Plain JavaScript, so the thread needs no module hooks when compiled (.build/, where this file
// sits beside the compiled sender-rows.js); in the checkout tsx loads the TypeScript.
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const compiled = existsSync(new URL('./sender-rows.js', import.meta.url));
if (!compiled) (await import('tsx/esm/api')).register();
const { senderRowsPage } = compiled ? await import('./sender-rows.js') : await import('./sender-rows.ts');
const groupNames = new Map(workerData.groupNames);

parentPort.on('message', (rows) => {
  try {
    parentPort.postMessage({ page: senderRowsPage(rows, workerData.senders, groupNames) });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
