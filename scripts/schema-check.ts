import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { buildPublicSchema } from '../core/federation/contract';
import { projectRoot, schemaPath } from '../core/paths';
import { composeSupergraph, printSubgraphSdls } from './schema-tools';

/**
 * Change control for the public (partner) contract: `npm run schema:check`.
 *
 * Builds the public schema from the current code and compares it with a
 * baseline (schema/public.graphql at git revision SCHEMA_BASE). Every change is
 * printed as BREAKING / DANGEROUS / SAFE; the check fails when a breaking
 * change is not recorded in schema/CHANGELOG.md.
 */

export type ChangeLevel = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface SchemaChange {
  level: ChangeLevel;
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Schema coordinate: `Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`. */
  path: string;
  message: string;
}

export interface SchemaCheckResult {
  breaking: SchemaChange[];
  dangerous: SchemaChange[];
  safe: SchemaChange[];
  /** Breaking changes whose path is not in the changelog's Unreleased or current-version section. */
  unrecorded: SchemaChange[];
  /** The newest released version in the changelog (its section counts as "recorded"), if any. */
  currentVersion?: string;
}

const LEVEL: Record<CriticalityLevel, ChangeLevel> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};

/** A changelog `## ` heading that names a release: `## 1.2.0 — 2027-01-31`, `## [1.2.0]`, `## v1.2.0`. */
const VERSION_HEADING = /^\[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\]?(?:\s|$)/;
const UNRELEASED_HEADING = /^\[?unreleased\]?(?:\s|$)/i;

/** The `## ` sections of a Markdown changelog (### subsections stay inside their section). */
export function changelogSections(changelog: string): { heading: string; body: string }[] {
  const sections: { heading: string; body: string[] }[] = [];
  for (const line of changelog.split(/\r?\n/)) {
    const m = /^##\s+(.*?)\s*$/.exec(line);
    if (m) sections.push({ heading: m[1]!, body: [] });
    else sections.at(-1)?.body.push(line);
  }
  return sections.map((s) => ({ heading: s.heading, body: s.body.join('\n') }));
}

/**
 * The text in which a breaking change counts as recorded: the `## Unreleased`
 * section plus the section of the current (newest) version. HTML comments are
 * dropped, so a template comment with example paths records nothing.
 */
export function recordingText(changelog: string): { text: string; currentVersion?: string } {
  const sections = changelogSections(changelog.replace(/<!--[\s\S]*?-->/g, ''));
  const unreleased = sections.filter((s) => UNRELEASED_HEADING.test(s.heading));
  const current = sections.find((s) => VERSION_HEADING.test(s.heading));
  return {
    text: [...unreleased, ...(current ? [current] : [])].map((s) => s.body).join('\n'),
    currentVersion: current ? VERSION_HEADING.exec(current.heading)![1] : undefined,
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `path` occurs in `text` as a whole coordinate: `Student.status`
 * matches "`Student.status`" or "Student.status." but not `Student.statusText`,
 * `MyStudent.status` or `Student.status.reason`; a bare type `Student` does
 * not match `Student.phone`.
 */
export function mentionsPath(text: string, path: string): boolean {
  return new RegExp(`(?<![\\w.])${escapeRegExp(path)}(?![\\w]|\\.\\w)`).test(text);
}

/** A change's coordinate; schema-root changes carry none, so they use the root type's name. */
function changePath(change: Change): string {
  if (change.path) return change.path;
  const meta = (change.meta ?? {}) as Record<string, unknown>;
  const root = Object.entries(meta).find(([k, v]) => /^(old|new)\w*TypeName$/.test(k) && typeof v === 'string' && v);
  return root ? String(root[1]) : change.type;
}

const toSchema = (sdl: string | null | undefined) => (sdl && sdl.trim() ? buildSchema(sdl) : null);

/**
 * Compares two versions of the public schema (`oldSdl` empty or null = no
 * baseline: everything is new) and checks breaking changes against the
 * changelog. Pure: no files, no git.
 */
export async function checkSchemaChange(oldSdl: string | null, newSdl: string, changelog: string): Promise<SchemaCheckResult> {
  const changes = await diff(toSchema(oldSdl), toSchema(newSdl));
  const all: SchemaChange[] = changes.map((c) => ({
    level: LEVEL[c.criticality.level] ?? 'BREAKING',
    type: c.type,
    path: changePath(c),
    message: c.message,
  }));
  const { text, currentVersion } = recordingText(changelog);
  const breaking = all.filter((c) => c.level === 'BREAKING');
  return {
    breaking,
    dangerous: all.filter((c) => c.level === 'DANGEROUS'),
    safe: all.filter((c) => c.level === 'SAFE'),
    unrecorded: breaking.filter((c) => !mentionsPath(text, c.path)),
    currentVersion,
  };
}

/** The report printed by `npm run schema:check`. */
export function formatReport(result: SchemaCheckResult, baseline: string): string {
  const unrecorded = new Set(result.unrecorded);
  const lines = [`Public schema: current code vs ${baseline}`, ''];
  const group = (title: ChangeLevel, changes: SchemaChange[]) => {
    lines.push(`${title} (${changes.length})`);
    for (const c of changes) {
      const mark = title !== 'BREAKING' ? '' : unrecorded.has(c) ? '  ✗ not recorded in schema/CHANGELOG.md' : '  ✓ recorded';
      lines.push(`  ${c.path} — ${c.message}${mark}`);
    }
    lines.push('');
  };
  group('BREAKING', result.breaking);
  group('DANGEROUS', result.dangerous);
  group('SAFE', result.safe);
  const where = `## Unreleased${result.currentVersion ? ` or ## ${result.currentVersion}` : ''}`;
  if (result.unrecorded.length) {
    lines.push(
      `FAIL: ${result.unrecorded.length} breaking change(s) not recorded in schema/CHANGELOG.md.`,
      `List each path under ${where} (breaking changes ship only in a major version; see the policy there):`,
      ...[...new Set(result.unrecorded.map((c) => c.path))].map((p) => `  - \`${p}\``),
    );
  } else {
    lines.push(`OK: ${result.breaking.length} breaking (all recorded), ${result.dangerous.length} dangerous, ${result.safe.length} safe.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The public schema the current code produces (what `npm run schema:print` would write). */
export async function currentPublicSchema(): Promise<string> {
  return buildPublicSchema(composeSupergraph(await printSubgraphSdls()));
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: projectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function gitOk(args: string[]): string | undefined {
  try {
    return git(args);
  } catch {
    return undefined;
  }
}

/**
 * The baseline revision: SCHEMA_BASE when set; otherwise HEAD when the working
 * tree's schema/ (CHANGELOG.md aside) or subgraphs/ differ from it (checking uncommitted work),
 * else HEAD~1 (checking the last commit).
 */
export function baselineRevision(env: NodeJS.ProcessEnv = process.env): { rev: string; explicit: boolean } {
  if (env.SCHEMA_BASE?.trim()) return { rev: env.SCHEMA_BASE.trim(), explicit: true };
  // The changelog itself does not count: recording a change must not move the baseline past it.
  const dirty = git(['status', '--porcelain', '--', 'schema', 'subgraphs', ':(exclude)schema/CHANGELOG.md']).trim() !== '';
  return { rev: dirty ? 'HEAD' : 'HEAD~1', explicit: false };
}

/** schema/public.graphql at `rev`, or null when that revision has none (or, for a default, does not exist). */
export function baselineSdl(rev: string, explicit: boolean): string | null {
  const commit = gitOk(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])?.trim();
  if (!commit) {
    if (explicit) throw new Error(`SCHEMA_BASE=${rev} is not a git revision`);
    return null; // e.g. HEAD~1 of a repository's first commit
  }
  return gitOk(['show', `${commit}:schema/public.graphql`]) ?? null;
}

async function main(): Promise<number> {
  const { rev, explicit } = baselineRevision();
  const oldSdl = baselineSdl(rev, explicit);
  const short = gitOk(['rev-parse', '--short', `${rev}^{commit}`])?.trim();
  const baseline = `schema/public.graphql @ ${rev}${short ? ` (${short})` : ''}${oldSdl === null ? ' — none there: empty baseline' : ''}`;
  const newSdl = await currentPublicSchema();
  const changelogFile = schemaPath('CHANGELOG.md');
  const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
  const result = await checkSchemaChange(oldSdl, newSdl, changelog);
  process.stdout.write(formatReport(result, baseline));
  const checkedIn = schemaPath('public.graphql');
  if (!existsSync(checkedIn) || readFileSync(checkedIn, 'utf8') !== newSdl) {
    process.stdout.write('note: schema/public.graphql is not what the current code produces; run `npm run schema:print`\n');
  }
  return result.unrecorded.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(2);
    },
  );
}
