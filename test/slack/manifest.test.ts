/**
 * manifest/slack.yaml creates a working app as it is (docs/design.md §9): checked structurally against
 * Slack's manifest schema limits, against the command registry, and against what the adapter
 * actually calls (every method's scope is asked for; no scope is asked for without a use).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { INVOCATION } from '../../src/core/wording.ts';
import {
  BOT_SCOPES,
  METHOD_SCOPES,
  SLACK_EVENTS_PATH,
  SLASH_COMMAND,
  SLASH_COMMAND_DESCRIPTION,
  SHOULD_ESCAPE,
  usageHint,
} from '../../src/adapters/slack/manifest.ts';
import { parseYamlSubset, type YamlValue } from './yaml-subset.ts';

const source = readFileSync(new URL('../../manifest/slack.yaml', import.meta.url), 'utf8');
const { value, itemComments } = parseYamlSubset(source);

type Obj = { [key: string]: YamlValue };
function at(path: string): YamlValue {
  let v: YamlValue = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !(key in v)) throw new Error(`manifest has no ${path}`);
    v = (v as Obj)[key] as YamlValue;
  }
  return v;
}

describe('manifest/slack.yaml', () => {
  it('has only the top-level sections Slack knows', () => {
    expect(Object.keys(value as Obj).sort()).toEqual(['_metadata', 'display_information', 'features', 'oauth_config', 'settings']);
    expect(at('_metadata.major_version')).toBe(1);
  });

  it('describes the app within Slack limits', () => {
    const name = at('display_information.name') as string;
    const description = at('display_information.description') as string;
    const long = at('display_information.long_description') as string;
    expect(name.length).toBeGreaterThanOrEqual(1);
    expect(name.length).toBeLessThanOrEqual(35);
    expect(description.length).toBeLessThanOrEqual(140);
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(at('display_information.background_color')).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(at('features.bot_user.display_name')).toBe('wsa');
  });

  it('declares the /wsa command with the registry\'s usage hint', () => {
    const commands = at('features.slash_commands') as Obj[];
    expect(commands).toHaveLength(1);
    const command = commands[0] as Obj;
    expect(command.command).toBe(SLASH_COMMAND);
    expect(command.command).toBe(INVOCATION);
    expect(command.description).toBe(SLASH_COMMAND_DESCRIPTION);
    expect(command.should_escape).toBe(SHOULD_ESCAPE);
    const hint = command.usage_hint as string;
    expect(hint).toBe(usageHint(registry.commands));
    expect(hint.length).toBeLessThanOrEqual(1000);
    // Every command of the registry is offered, and nothing else.
    const offered = (/^\[([^\]]+)\]/.exec(hint)?.[1] ?? '').split(' | ');
    expect(offered).toEqual(registry.commands.map((c) => c.name));
    for (const name of offered) expect(registry.find(name)).toBeDefined();
  });

  it('sends every request to /slack/events over HTTPS', () => {
    const urls = [
      (at('features.slash_commands') as Obj[])[0]?.url,
      at('settings.event_subscriptions.request_url'),
      at('settings.interactivity.request_url'),
    ];
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      expect(new URL(url as string).pathname).toBe(SLACK_EVENTS_PATH);
    }
    // The Socket Mode variant deletes exactly these lines: each is marked.
    expect(source.split('\n').filter((l) => l.includes('# HTTP only'))).toHaveLength(3);
    expect(at('settings.socket_mode_enabled')).toBe(false);
    expect(at('settings.interactivity.is_enabled')).toBe(true);
    expect(at('settings.event_subscriptions.bot_events')).toEqual(['app_mention']);
    expect(at('settings.org_deploy_enabled')).toBe(false);
    expect(at('settings.token_rotation_enabled')).toBe(false);
  });

  it('asks for the minimal bot scopes, each with its reason', () => {
    const scopes = at('oauth_config.scopes.bot') as string[];
    expect(scopes).toEqual(Object.keys(BOT_SCOPES));
    for (const scope of scopes) expect(itemComments.get(scope)).toBe(BOT_SCOPES[scope]);
    // Every method and event the adapter uses is covered, and every scope has a use.
    const needed = new Set(Object.values(METHOD_SCOPES).flatMap((s) => (s === null ? [] : typeof s === 'string' ? [s] : [...s])));
    needed.add('users:read.email');
    expect([...needed].sort()).toEqual([...scopes].sort());
    for (const unused of ['chat:write.public', 'im:history', 'users.profile:read']) {
      expect(scopes).not.toContain(unused);
    }
  });

  it('is read strictly: the reader refuses YAML it does not understand', () => {
    expect(() => parseYamlSubset('a: [1, 2]')).toThrow(/unsupported/);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/duplicate/);
    expect(() => parseYamlSubset('a:\n  - b\n c: 1')).toThrow();
    expect(parseYamlSubset('a:\n  - b # why\n  - c: "x # y"\n    d: 2').value).toEqual({ a: ['b', { c: 'x # y', d: 2 }] });
  });
});
