import { UsageError } from '../../core/errors.ts';
import { EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'serve',
  summary: 'Run the bot: one HTTP server for Slack, Teams, event ingest and /healthz',
  usage: 'wsa serve',
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
