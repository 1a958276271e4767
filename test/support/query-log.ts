/**
 * Which tables a piece of code reads: a Kysely plugin that compiles each query it sees (builders
 * and raw `sql` alike) and records the table names in its text. `db.withPlugin(log.plugin)` gives
 * a database handle that records; the store under it is the real one.
 */
import { PostgresQueryCompiler, type KyselyPlugin } from 'kysely';
import { APPLICATION_TABLES } from '../../src/store/tables.ts';

export interface QueryLog {
  readonly plugin: KyselyPlugin;
  /** The application tables named by the queries since the last `clear()`. */
  tables(): Set<string>;
  /** How many queries ran since the last `clear()`. */
  count(): number;
  clear(): void;
}

export function queryLog(): QueryLog {
  const compiler = new PostgresQueryCompiler();
  const texts: string[] = [];
  const named = APPLICATION_TABLES.map((t) => ({ table: t as string, re: new RegExp(`\\b${t}\\b`) }));
  return {
    plugin: {
      transformQuery(args) {
        texts.push(compiler.compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
    tables() {
      return new Set(texts.flatMap((sql) => named.filter((n) => n.re.test(sql)).map((n) => n.table)));
    },
    count: () => texts.length,
    clear() {
      texts.length = 0;
    },
  };
}
