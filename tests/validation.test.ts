import 'reflect-metadata';
import { IsOptional, validate, type ValidationError } from 'class-validator';
import { maskError } from '../core/errors';
import { IsDay, IsMonth } from '../core/validation/calendar';
import { checkInput } from '../core/validation/check';
import { DiffersFrom, StartsWithField } from '../core/validation/compare';
import { OnlyAndAlwaysWhen } from '../core/validation/conditional';
import { IsInFuture } from '../core/validation/future';
import { NotAfter, NotBefore } from '../core/validation/order';
import { NotBlank } from '../core/validation/not-blank';
import { AllOrNone, AtLeastOneOf, AtMostOneOf, ExactlyOneOf } from '../core/validation/one-of';

// The options type-graphql validates arguments with (core/federation/build-subgraph.ts + its defaults).
const OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false, value: false } };

class Dates {
  @IsOptional() @IsDay({ path: 'input.date' }) date?: string | null;
  @IsOptional() @IsMonth() fromMonth?: string | null;
  @IsOptional() @IsMonth() @NotBefore('fromMonth') toMonth?: string | null;
}

class Names {
  @NotBlank({ path: 'input.name' }) name: string;
}

class OneOf {
  @IsOptional() code?: string | null;
  @IsOptional() recoveryCode?: string | null;
  @ExactlyOneOf(['code', 'recoveryCode'], { path: 'input.code' }) readonly one = true;
  @AtLeastOneOf(['code', 'recoveryCode'], { path: 'input' }) readonly some = true;
}

class Geo {
  @IsOptional() latitude?: number | null;
  @IsOptional() longitude?: number | null;
  @AllOrNone(['latitude', 'longitude'], { path: 'input.latitude' }) readonly both = true;
}

class Plan {
  @IsOptional() duration?: string;
  @IsOptional() durationDays?: number | null;
  @OnlyAndAlwaysWhen('durationDays', 'duration', 'DAYS', { path: 'input.durationDays' }) readonly rule = true;
}

class Update {
  @IsOptional() name?: string | null;
  @IsOptional() description?: string | null;
  @AtLeastOneOf(['name', 'description'], { path: 'input', message: 'give name or description', nullClears: ['description'] }) readonly changes = true;
}

class Pick {
  @IsOptional() shiftId?: string | null;
  @IsOptional() slot?: string | null;
  @AtMostOneOf(['shiftId', 'slot'], { path: 'slot' }) readonly one = true;
}

class Range {
  @IsOptional() @IsMonth() @NotAfter('toMonth') fromMonth?: string;
  @IsOptional() @IsMonth() toMonth?: string;
}

class Pair {
  @IsOptional() currentPassword?: string;
  @IsOptional() @DiffersFrom('currentPassword', { message: 'must differ from the current password' }) newPassword?: string;
  @IsOptional() stateCode?: string;
  @IsOptional() @StartsWithField('stateCode') gstin?: string;
  @IsOptional() @IsInFuture({ path: 'input.expiresAt' }) expiresAt?: Date;
}

const make = <T extends object>(cls: new () => T, data: Partial<T>): T => Object.assign(new cls(), data);
/** What a client sees: the masked GraphQL error of these class-validator failures. */
const client = (errors: ValidationError[]) => {
  const out = maskError({ message: 'Argument Validation Error', extensions: { code: 'BAD_USER_INPUT', validationErrors: JSON.parse(JSON.stringify(errors)) } });
  return { message: out.message, field: out.extensions?.field };
};
const check = async <T extends object>(cls: new () => T, data: Partial<T>) => client(await validate(make(cls, data), OPTIONS));
const ok = async <T extends object>(cls: new () => T, data: Partial<T>) => expect(await validate(make(cls, data), OPTIONS)).toEqual([]);

describe('core/validation decorators', () => {
  it('IsDay: a real calendar day YYYY-MM-DD; absent passes', async () => {
    await ok(Dates, { date: '2028-02-29' });
    await ok(Dates, {});
    await ok(Dates, { date: null });
    expect(await check(Dates, { date: '2027-02-29' })).toEqual({ message: 'input.date: must be a real date', field: 'input.date' });
    expect(await check(Dates, { date: '2027-2-1' })).toEqual({ message: 'input.date: must be YYYY-MM-DD', field: 'input.date' });
    expect(await check(Dates, { date: '2027-13-01' })).toEqual({ message: 'input.date: must be a real date', field: 'input.date' });
    expect((await check(Dates, { date: 20270101 as unknown as string })).message).toBe('input.date: must be YYYY-MM-DD');
  });

  it('IsMonth and NotBefore: YYYY-MM, to not before from; the property path without a path option', async () => {
    await ok(Dates, { fromMonth: '2026-04', toMonth: '2026-04' });
    await ok(Dates, { toMonth: '2026-01' });
    expect(await check(Dates, { fromMonth: '2026-13' })).toEqual({ message: 'fromMonth: must be YYYY-MM', field: 'fromMonth' });
    expect(await check(Dates, { fromMonth: '2026-05', toMonth: '2026-04' })).toEqual({ message: 'toMonth: must not be before fromMonth', field: 'toMonth' });
  });

  it('NotBlank refuses spaces only', async () => {
    await ok(Names, { name: ' a ' });
    expect(await check(Names, { name: '   ' })).toEqual({ message: 'input.name: must not be blank', field: 'input.name' });
    expect((await check(Names, { name: '' })).field).toBe('input.name');
  });

  it('ExactlyOneOf / AtLeastOneOf run when every field is absent (a marker property, not the fields)', async () => {
    await ok(OneOf, { code: '123456' });
    await ok(OneOf, { recoveryCode: 'abcdefghij' });
    expect(await check(OneOf, {})).toEqual({
      message: 'input.code: give exactly one of code or recoveryCode; input: give at least one of code or recoveryCode',
      field: 'input.code',
    });
    expect(await check(OneOf, { code: null, recoveryCode: null })).toMatchObject({ field: 'input.code' });
    expect(await check(OneOf, { code: '123456', recoveryCode: 'abcdefghij' })).toEqual({
      message: 'input.code: give exactly one of code or recoveryCode',
      field: 'input.code',
    });
  });

  it('AllOrNone: both or neither', async () => {
    await ok(Geo, {});
    await ok(Geo, { latitude: 0, longitude: 0 });
    expect(await check(Geo, { latitude: 12.9 })).toEqual({ message: 'input.latitude: latitude and longitude go together', field: 'input.latitude' });
    expect((await check(Geo, { longitude: 77.5 })).field).toBe('input.latitude');
  });

  it('NotAfter: the mirror, on the start field', async () => {
    await ok(Range, { fromMonth: '2026-01', toMonth: '2026-01' });
    expect(await check(Range, { fromMonth: '2026-02', toMonth: '2026-01' })).toEqual({ message: 'fromMonth: must not be after toMonth', field: 'fromMonth' });
  });

  it('OnlyAndAlwaysWhen: required for its case (also when absent), refused for the others', async () => {
    await ok(Plan, { duration: 'DAYS', durationDays: 15 });
    await ok(Plan, { duration: 'MONTHLY' });
    await ok(Plan, { duration: 'MONTHLY', durationDays: null });
    expect(await check(Plan, { duration: 'DAYS' })).toEqual({ message: 'input.durationDays: is required for DAYS', field: 'input.durationDays' });
    expect(await check(Plan, { duration: 'YEARLY', durationDays: 30 })).toEqual({
      message: 'input.durationDays: is only for DAYS',
      field: 'input.durationDays',
    });
  });

  it('AtLeastOneOf with nullClears: a null that clears is a change, a null elsewhere is not', async () => {
    await ok(Update, { name: 'A' });
    await ok(Update, { description: null });
    expect(await check(Update, {})).toEqual({ message: 'input: give name or description', field: 'input' });
    expect(await check(Update, { name: null })).toEqual({ message: 'input: give name or description', field: 'input' });
  });

  it('AtMostOneOf: none or one, not both', async () => {
    await ok(Pick, {});
    await ok(Pick, { slot: 'MORNING' });
    expect(await check(Pick, { shiftId: 'x', slot: 'MORNING' })).toEqual({ message: 'slot: give shiftId or slot, not both', field: 'slot' });
  });

  it('checkInput: a REST query string through the same class, BAD_USER_INPUT with the same message and field', async () => {
    await expect(checkInput(Range, { fromMonth: '2026-01' })).resolves.toMatchObject({ fromMonth: '2026-01' });
    await expect(checkInput(Range, { fromMonth: ['2026-01', '2026-02'] })).rejects.toMatchObject({
      message: 'fromMonth: must be YYYY-MM',
      extensions: { code: 'BAD_USER_INPUT', field: 'fromMonth' },
    });
    await expect(checkInput(Range, { fromMonth: '2026-03', toMonth: '2026-02' })).rejects.toMatchObject({ extensions: { field: 'fromMonth' } });
  });

  it('DiffersFrom, StartsWithField, IsInFuture', async () => {
    await ok(Pair, { currentPassword: 'old password', newPassword: 'new password', stateCode: '29', gstin: '29ABCDE1234F1Z5' });
    await ok(Pair, { newPassword: 'x', gstin: '29ABCDE1234F1Z5', expiresAt: new Date(Date.now() + 60_000) });
    expect(await check(Pair, { currentPassword: 'same one', newPassword: 'same one' })).toEqual({
      message: 'newPassword: must differ from the current password',
      field: 'newPassword',
    });
    expect(await check(Pair, { stateCode: '27', gstin: '29ABCDE1234F1Z5' })).toEqual({ message: 'gstin: must start with stateCode', field: 'gstin' });
    expect(await check(Pair, { expiresAt: new Date(Date.now() - 1000) })).toEqual({
      message: 'input.expiresAt: must be in the future',
      field: 'input.expiresAt',
    });
  });
});
