/**
 * The Teams app package: built by scripts/teams-package.ts into a temporary folder and read back
 * from the zip as Teams would, checked against the manifest schema's limits, the command registry
 * and the icon rules (192×192 colour; 32×32 white on transparent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/teams-icons.ts';
import { buildTeamsPackage, fillPlaceholders, nextSteps, PACKAGE_FILE_NAME } from '../../scripts/teams-package.ts';

const APP_ID = '6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5';
const HOST = 'wsa.contoso.example';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Teams' limits from the manifest schema; ten commands per list, the limit before manifest 1.24 raised it to twelve. */
const MAX_COMMANDS_PER_LIST = 10;
const MAX_COMMAND_TITLE = 32;
const MAX_COMMAND_DESCRIPTION = 128;
const MAX_SHORT_NAME = 30;
const MAX_FULL_NAME = 100;
const MAX_SHORT_DESCRIPTION = 80;
const MAX_FULL_DESCRIPTION = 4000;
const SCOPES = ['personal', 'team', 'groupChat'];

type Json = Record<string, any>;
let dir: string;
let zipPath: string;
let zip: JSZip;
let manifest: Json;

function pngSize(bytes: Buffer): { width: number; height: number } {
  // The signature, then the IHDR chunk: length, type, width, height (big-endian).
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function entry(name: string): Promise<Buffer> {
  const file = zip.file(name);
  if (!file) throw new Error(`the package has no ${name}`);
  return file.async('nodebuffer');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-teams-package-'));
  const built = await buildTeamsPackage({
    env: { MICROSOFT_APP_ID: APP_ID, WSA_PUBLIC_HOST: `https://${HOST}/` },
    outDir: dir,
  });
  zipPath = built.path;
  zip = await JSZip.loadAsync(await readFile(zipPath));
  manifest = JSON.parse((await entry('manifest.json')).toString('utf8')) as Json;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Teams app package', () => {
  it('is a zip with manifest.json and both icons at its root, and nothing else', () => {
    expect(zipPath).toBe(join(dir, PACKAGE_FILE_NAME));
    const names = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name).sort();
    expect(names).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('names a current manifest schema, and its version matches', () => {
    const version = /\/teams\/v(1\.\d+)\/MicrosoftTeams\.schema\.json$/.exec(manifest.$schema)?.[1];
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\//);
    expect(version).toBe(manifest.manifestVersion);
    expect(Number(version!.split('.')[1])).toBeGreaterThanOrEqual(17);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('carries the app id and the public host it was given, and no placeholder', () => {
    expect(manifest.id).toMatch(GUID);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toContain(HOST);
    expect(JSON.stringify(manifest)).not.toMatch(/\{\{|\}\}/);
  });

  it('describes the app within the schema limits', () => {
    expect(manifest.developer.name.length).toBeGreaterThan(0);
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      const url = new URL(manifest.developer[key]);
      expect(url.protocol).toBe('https:');
      expect(url.host).toBe(HOST);
    }
    expect(manifest.name.short.length).toBeGreaterThan(0);
    expect(manifest.name.short.length).toBeLessThanOrEqual(MAX_SHORT_NAME);
    expect(manifest.name.full.length).toBeLessThanOrEqual(MAX_FULL_NAME);
    expect(manifest.description.short.length).toBeGreaterThan(0);
    expect(manifest.description.short.length).toBeLessThanOrEqual(MAX_SHORT_DESCRIPTION);
    expect(manifest.description.full.length).toBeGreaterThan(manifest.description.short.length);
    expect(manifest.description.full.length).toBeLessThanOrEqual(MAX_FULL_DESCRIPTION);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
  });

  it('has a bot for personal chats, teams and group chats that can send files', () => {
    const bot = manifest.bots[0];
    expect([...bot.scopes].sort()).toEqual([...SCOPES].sort());
    expect(bot.supportsFiles).toBe(true);
    expect(bot.isNotificationOnly).toBe(false);
    expect(SCOPES).toContain(manifest.defaultInstallScope);
  });

  it('offers, per scope, at most ten registry commands with their summaries', () => {
    const lists = manifest.bots[0].commandLists as Json[];
    for (const scope of SCOPES) {
      expect(lists.filter((l) => l.scopes.includes(scope)), scope).toHaveLength(1);
    }
    for (const list of lists) {
      for (const scope of list.scopes) expect(manifest.bots[0].scopes).toContain(scope);
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(MAX_COMMANDS_PER_LIST);
      const titles = list.commands.map((c: Json) => c.title);
      expect(new Set(titles).size).toBe(titles.length);
      expect(titles).toContain('help');
      for (const { title, description } of list.commands as Json[]) {
        const command = registry.find(title);
        expect(command, `${title} is not a command`).toBeDefined();
        expect(title.length).toBeLessThanOrEqual(MAX_COMMAND_TITLE);
        expect(description).toBe(command!.summary);
        expect(description.length).toBeLessThanOrEqual(MAX_COMMAND_DESCRIPTION);
      }
    }
    // Commands that list people by name are offered where only the asker reads the answer.
    const personal = lists.find((l) => l.scopes.includes('personal'))!.commands.map((c: Json) => c.title);
    expect(personal).toEqual(expect.arrayContaining(['overview', 'top-users', 'power-users', 'whoami']));
  });

  it('has a 192×192 colour icon', async () => {
    const bytes = await entry('color.png');
    expect(pngSize(bytes)).toEqual({ width: 192, height: 192 });
    const png = PNG.sync.read(bytes);
    // Opaque throughout, and in more than black and white: the dark blue square with its chart.
    const colours = new Set<string>();
    let seeThrough = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3] !== 255) seeThrough++;
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    }
    expect(seeThrough).toBe(0);
    expect(colours.has('31,58,95')).toBe(true);
    expect(colours.size).toBeGreaterThan(2);
  });

  it('has a 32×32 outline icon in white on transparent', async () => {
    const bytes = await entry('outline.png');
    expect(pngSize(bytes)).toEqual({ width: 32, height: 32 });
    const png = PNG.sync.read(bytes);
    let white = 0;
    let transparent = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else throw new Error(`pixel ${i / 4} is rgba(${r}, ${g}, ${b}, ${a})`);
    }
    expect(white).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(white);
  });

  it('holds the icons scripts/teams-icons.ts draws', async () => {
    // The outline is drawn on whole pixels, so it is the same everywhere; the colour icon's
    // anti-aliased edges may differ by a shade between cairo versions.
    expect(PNG.sync.read(await entry('outline.png')).data).toEqual(PNG.sync.read(drawOutlineIcon()).data);
    const packed = PNG.sync.read(await entry('color.png')).data;
    const drawn = PNG.sync.read(drawColorIcon()).data;
    expect(packed.length).toBe(drawn.length);
    let largest = 0;
    for (let i = 0; i < drawn.length; i++) largest = Math.max(largest, Math.abs(packed[i]! - drawn[i]!));
    expect(largest).toBeLessThanOrEqual(8);
  });

  it('tells where it wrote the package and what to do next', () => {
    const text = nextSteps({ path: zipPath, manifest, values: { MICROSOFT_APP_ID: APP_ID, WSA_PUBLIC_HOST: HOST } }, dir);
    expect(text).toContain(`Wrote ${PACKAGE_FILE_NAME}`);
    expect(text).toContain(`https://${HOST}/api/messages`);
    expect(text).toContain('Upload a custom app');
  });
});

describe('packaging refuses', () => {
  async function refusal(env: Record<string, string | undefined>): Promise<ConfigError> {
    const out = mkdtempSync(join(tmpdir(), 'wsa-teams-refused-'));
    try {
      const error = await buildTeamsPackage({ env, outDir: out }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      // Nothing is written when packaging is refused.
      await expect(readFile(join(out, PACKAGE_FILE_NAME))).rejects.toThrow(/ENOENT/);
      return error as ConfigError;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  it('without the app id, saying what it is', async () => {
    const error = await refusal({ WSA_PUBLIC_HOST: HOST });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/MICROSOFT_APP_ID: not set; it is the Microsoft App ID of your Azure Bot/);
  });

  it('without the public host, and with both missing lists both', async () => {
    expect((await refusal({ MICROSOFT_APP_ID: APP_ID, WSA_PUBLIC_HOST: '  ' })).message).toMatch(/WSA_PUBLIC_HOST: not set/);
    const both = await refusal({});
    expect(both.problems.map((p) => p.split(':')[0])).toEqual(['MICROSOFT_APP_ID', 'WSA_PUBLIC_HOST']);
  });

  it('an app id that is not a GUID, and a host with a scheme, port or path', async () => {
    expect((await refusal({ MICROSOFT_APP_ID: 'wsa-bot', WSA_PUBLIC_HOST: HOST })).message).toMatch(/MICROSOFT_APP_ID: must be a GUID/);
    for (const host of ['http://wsa.example.com', 'wsa.example.com:8443', 'wsa.example.com/api/messages', 'localhost']) {
      expect((await refusal({ MICROSOFT_APP_ID: APP_ID, WSA_PUBLIC_HOST: host })).message).toMatch(/WSA_PUBLIC_HOST: must be a host name/);
    }
  });

  it('a placeholder it does not know', () => {
    const values = { MICROSOFT_APP_ID: APP_ID, WSA_PUBLIC_HOST: HOST };
    expect(fillPlaceholders({ a: ['x {{WSA_PUBLIC_HOST}} y'] }, values)).toEqual({ a: [`x ${HOST} y`] });
    expect(() => fillPlaceholders({ a: '{{WSA_HOSTNAME}}' }, values)).toThrow(/unknown placeholder \{\{WSA_HOSTNAME\}\}/);
  });
});
