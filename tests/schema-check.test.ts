import { readFileSync } from 'node:fs';
import { schemaPath } from '../core/paths';
import { PUBLIC_API_VERSION } from '../gateway';
import { checkSchemaChange, currentPublicSchema, mentionsPath, recordingText } from '../scripts/schema-check';

/** Public-contract change control (`npm run schema:check`); no database involved. */

const committed = readFileSync(schemaPath('public.graphql'), 'utf8');
const changelog = readFileSync(schemaPath('CHANGELOG.md'), 'utf8');

/** Replaces `from` in the committed schema, failing loudly if the fixture no longer fits it. */
function edit(from: string | RegExp, to: string): string {
  const out = committed.replace(from, to);
  expect(out).not.toBe(committed);
  return out;
}

const CHANGELOG_WITH = (entry: string) => `# Changelog

Policy text mentioning \`Query.students\` and \`Student.status\`: not a record.

## Unreleased

${entry}

## 1.0.0 — 2026-11-22

- First release.
`;

const withoutStudentStatus = () => edit(/^ {2}status: StudentStatus!\n(?=\n {2}"""Home library)/m, '');

describe('checkSchemaChange', () => {
  it('an added field is SAFE', async () => {
    const r = await checkSchemaChange(committed, edit('type Student {\n', 'type Student {\n  nickname: String\n'), changelog);
    expect(r.safe).toEqual([expect.objectContaining({ level: 'SAFE', type: 'FIELD_ADDED', path: 'Student.nickname' })]);
    expect([r.breaking, r.dangerous, r.unrecorded]).toEqual([[], [], []]);
  });

  it('removing Student.status is BREAKING and, unrecorded, fails', async () => {
    const r = await checkSchemaChange(committed, withoutStudentStatus(), changelog);
    expect(r.breaking).toEqual([expect.objectContaining({ level: 'BREAKING', type: 'FIELD_REMOVED', path: 'Student.status' })]);
    expect(r.breaking[0]!.message).toMatch(/status.*removed.*Student/);
    expect(r.unrecorded.map((c) => c.path)).toEqual(['Student.status']);
  });

  it('passes once Student.status is listed under ## Unreleased', async () => {
    const r = await checkSchemaChange(committed, withoutStudentStatus(), CHANGELOG_WITH('- **Breaking:** removed `Student.status`.'));
    expect(r.breaking.map((c) => c.path)).toEqual(['Student.status']);
    expect(r.unrecorded).toEqual([]);
  });

  it('counts the current version section too, but not the policy text, older versions or similar names', async () => {
    const newSdl = withoutStudentStatus();
    const inCurrent = '## Unreleased\n\n## 2.0.0 — 2027-03-01\n\n- Removed `Student.status`.\n\n## 1.0.0\n\n- Student.phone\n';
    expect((await checkSchemaChange(committed, newSdl, inCurrent)).unrecorded).toEqual([]);
    const inOlder = '## Unreleased\n\n## 2.0.0\n\n- Nothing.\n\n## 1.0.0\n\n- Removed `Student.status`.\n';
    expect((await checkSchemaChange(committed, newSdl, inOlder)).unrecorded).toHaveLength(1);
    expect((await checkSchemaChange(committed, newSdl, CHANGELOG_WITH('- Added `Student.statusText`.'))).unrecorded).toHaveLength(1);
    expect((await checkSchemaChange(committed, newSdl, CHANGELOG_WITH('<!-- Student.status -->'))).unrecorded).toHaveLength(1);
  });

  it('changing an argument default is DANGEROUS', async () => {
    const r = await checkSchemaChange(committed, edit('first: Int = 20', 'first: Int = 50'), changelog);
    expect(r.dangerous).toEqual([expect.objectContaining({ level: 'DANGEROUS', type: 'FIELD_ARGUMENT_DEFAULT_CHANGED', path: 'Query.students.first' })]);
    expect([r.breaking, r.safe, r.unrecorded]).toEqual([[], [], []]);
  });

  it('an empty baseline makes everything SAFE (new)', async () => {
    const r = await checkSchemaChange('', committed, '');
    expect(r.safe.map((c) => c.path)).toEqual(expect.arrayContaining(['Query.students', 'Mutation.checkIn', 'Library.occupancy']));
    expect([r.breaking, r.dangerous]).toEqual([[], []]);
  });

  it('removing a root operation type is recorded by its name', async () => {
    const r = await checkSchemaChange(
      committed,
      edit(/type Mutation \{[\s\S]*?\n\}\n\n/, ''),
      CHANGELOG_WITH('- **Breaking:** removed `Mutation` (checkIn, checkOut).'),
    );
    expect(r.breaking.map((c) => c.path)).toEqual(expect.arrayContaining(['Mutation']));
    expect(r.unrecorded).toEqual([]);
  });
});

describe('mentionsPath / recordingText', () => {
  it('matches whole coordinates only', () => {
    expect(mentionsPath('- Removed `Student.status`.', 'Student.status')).toBe(true);
    expect(mentionsPath('Removed Student.status.', 'Student.status')).toBe(true);
    expect(mentionsPath('Added `Student.statusText`', 'Student.status')).toBe(false);
    expect(mentionsPath('Changed `Student.status.reason`', 'Student.status')).toBe(false);
    expect(mentionsPath('Added `Student.phone`', 'Student')).toBe(false);
    expect(mentionsPath('Removed `MyStudent.status`', 'Student.status')).toBe(false);
  });

  it('reads Unreleased and the newest version of the committed changelog', () => {
    expect(recordingText(changelog).currentVersion).toBe('1.0.0');
  });
});

describe('committed schema/public.graphql and schema/CHANGELOG.md', () => {
  let current: string;
  beforeAll(async () => {
    current = await currentPublicSchema();
  });

  it('schema/public.graphql is the public contract of the current code (run `npm run schema:print`)', () => {
    expect(committed).toBe(current);
  });

  it('the current code has no unrecorded breaking change against it', async () => {
    const r = await checkSchemaChange(committed, current, changelog);
    expect(r.unrecorded).toEqual([]);
  });

  it('the changelog has a versioning policy, an Unreleased section and the 1.0.0 entry', () => {
    expect(changelog).toMatch(/^## Versioning policy$/m);
    expect(changelog).toMatch(/^## Unreleased$/m);
    expect(changelog).toMatch(/^## 1\.0\.0 — 2026-11-22$/m);
  });

  it("the gateway's PUBLIC_API_VERSION is the changelog's current version", () => {
    expect(PUBLIC_API_VERSION).toBe(recordingText(changelog).currentVersion);
  });
});
