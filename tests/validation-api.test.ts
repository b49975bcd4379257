import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Input checks moved from services to class-validator decorators (core/validation, issue 16):
 * through the gateway, a client still gets BAD_USER_INPUT naming the same field with the same
 * message, rules across fields run when every field is absent, and a refusal writes nothing.
 */

let sys: System;
let t: TestTenant;
let libraryId: string;

beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('val-api');
  const lib = await sys.ok(
    `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`,
    { i: { name: 'Main', capacity: 10 } },
    { token: t.ownerToken },
  );
  libraryId = lib.createLibrary.id;
});
afterAll(async () => {
  await sys?.stop();
});

type Res = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
const refusal = (r: Res) => ({ code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field, message: r.errors?.[0]?.message });

describe('input checks by core/validation decorators, through the gateway', () => {
  it('exactly one of code or recoveryCode: both absent and both given are refused with the field of before', async () => {
    const LOGIN_TOTP = `mutation($i: LoginWithTotpInput!) { loginWithTotp(input: $i) { accessToken } }`;
    const expected = { code: 'BAD_USER_INPUT', field: 'input.code', message: 'input.code: give exactly one of code or recoveryCode' };
    expect(refusal(await sys.gql(LOGIN_TOTP, { i: { mfaToken: 'x' } }))).toEqual(expected);
    expect(refusal(await sys.gql(LOGIN_TOTP, { i: { mfaToken: 'x', code: '123456', recoveryCode: 'abcdefghij' } }))).toEqual(expected);
    const DISABLE = `mutation($c: String, $r: String) { disableTotp(code: $c, recoveryCode: $r) }`;
    expect(refusal(await sys.gql(DISABLE, { c: null, r: null }, { token: t.ownerToken }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'code',
      message: 'code: give exactly one of code or recoveryCode',
    });
  });

  it('latitude without longitude is refused and creates no library', async () => {
    const LIBS = `{ libraries { id } }`;
    const before = (await sys.ok(LIBS, {}, { token: t.ownerToken })).libraries.length;
    const res = await sys.gql(
      `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`,
      { i: { name: 'Half', capacity: 5, latitude: 12.9 } },
      { token: t.ownerToken },
    );
    expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.latitude', message: 'input.latitude: latitude and longitude go together' });
    expect((await sys.ok(LIBS, {}, { token: t.ownerToken })).libraries.length).toBe(before);
  });

  it('a day argument (args class) must be a real calendar date', async () => {
    const SEATS = `query($l: ID!, $d: String!) { seatAvailability(libraryId: $l, date: $d) { free } }`;
    expect(refusal(await sys.gql(SEATS, { l: libraryId, d: '2027-02-30' }, { token: t.ownerToken }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'date',
      message: 'date: must be a real date',
    });
    expect(refusal(await sys.gql(SEATS, { l: libraryId, d: '2027-2-3' }, { token: t.ownerToken })).message).toBe('date: must be YYYY-MM-DD');
    expect((await sys.ok(SEATS, { l: libraryId, d: '2028-02-29' }, { token: t.ownerToken })).seatAvailability.length).toBe(10);
  });

  it('months in order, a DAYS plan with its days, an update that changes something', async () => {
    const REVENUE = `query($f: String, $t: String) { revenueSummary(fromMonth: $f, toMonth: $t) { month } }`;
    expect(refusal(await sys.gql(REVENUE, { f: '2026-05', t: '2026-04' }, { token: t.ownerToken }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'toMonth',
      message: 'toMonth: must not be before fromMonth',
    });
    const PLAN = `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`;
    const plan = { libraryId, name: 'Fortnight', duration: 'DAYS', price: 100_00, seatKind: 'ANY' };
    expect(refusal(await sys.gql(PLAN, { i: plan }, { token: t.ownerToken }))).toMatchObject({
      field: 'input.durationDays',
      message: 'input.durationDays: is required for DAYS',
    });
    expect(refusal(await sys.gql(PLAN, { i: { ...plan, duration: 'MONTHLY', durationDays: 10 } }, { token: t.ownerToken }))).toMatchObject({
      field: 'input.durationDays',
      message: 'input.durationDays: is only for DAYS',
    });
    expect(refusal(await sys.gql(PLAN, { i: { ...plan, durationDays: 15, name: '   ' } }, { token: t.ownerToken }))).toMatchObject({ field: 'input.name' });
    const id = (await sys.ok(PLAN, { i: { ...plan, durationDays: 15 } }, { token: t.ownerToken })).createFeePlan.id;
    const UPDATE = `mutation($id: ID!, $i: UpdateFeePlanInput!) { updateFeePlan(id: $id, input: $i) { name description } }`;
    expect(refusal(await sys.gql(UPDATE, { id, i: {} }, { token: t.ownerToken }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input',
      message: 'input: give name or description',
    });
    expect(refusal(await sys.gql(UPDATE, { id, i: { name: null } }, { token: t.ownerToken })).field).toBe('input');
    expect((await sys.ok(UPDATE, { id, i: { description: null } }, { token: t.ownerToken })).updateFeePlan).toEqual({ name: 'Fortnight', description: null });
  });

  it('automation settings: an empty update is refused', async () => {
    const res = await sys.gql(
      `mutation($i: UpdateAutomationSettingsInput!) { updateAutomationSettings(input: $i) { __typename } }`,
      { i: {} },
      { token: t.ownerToken },
    );
    expect(refusal(res)).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input',
      message: 'input: give at least one of welcome, receipt, duesReminder, monthlyReportEmail',
    });
  });
});
