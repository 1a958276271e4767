import { UsageError } from '../../core/errors.ts';
import { EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'serve',
  usage: 'wsa serve',
  help: [
    'Starts the HTTP server on PORT (default 3978): Slack /slack/events, Teams /api/messages,',
    'usage events /api/v1/events and /healthz. It runs until Ctrl-C (SIGINT) or SIGTERM.',
    '',
    'Without Slack or Microsoft credentials it runs in local mode: on loopback only, with the',
    'try-it page, and an empty store gets the demo workspace (WSA_DEMO=off leaves it empty).',
    'While it holds the embedded store, other wsa commands on that store are run by it.',
    'Configuration comes from the environment and .env; .env.example lists every variable.',
  ],
  async run(_args, ctx) {
    if (!ctx.startServer) throw new UsageError('`wsa serve` runs only as a process of its own, not inside another server.');
    const app = await ctx.startServer();
    await app.ready;
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        ctx.logger.info({ signal }, 'server.stopping');
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await app.close();
    return EXIT_OK;
  },
};
