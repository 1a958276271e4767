#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx wsa` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/app.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
