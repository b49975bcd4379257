import { startSystem, type System, type TestTenant } from './helpers/system';

// Messaging's lists under the one page-size rule (core/pagination.ts) and its input checked by class-validator.
let sys: System;
let t: TestTenant;
beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('msg-pages');
});
afterAll(async () => {
  await sys?.stop();
});

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

describe('messaging lists and input validation', () => {
  it('first is 1..200 on messages and notifications (was 1..100); the default page still answers', async () => {
    const o = { token: t.ownerToken };
    expect(await sys.ok('{ messages { id } notifications { id } }', {}, o)).toEqual({ messages: [], notifications: [] });
    expect((await sys.ok('{ messages(first: 200) { id } notifications(first: 200) { id } }', {}, o)).messages).toEqual([]);
    for (const q of [
      '{ messages(first: 201) { id } }',
      '{ messages(first: 0) { id } }',
      '{ notifications(first: 201) { id } }',
      '{ notifications(first: -1) { id } }',
    ]) {
      expect(codes(await sys.gql(q, {}, o))).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('rejectTemplate needs a reason of 1 to 500 characters; a refused one changes nothing', async () => {
    const o = { token: t.ownerToken };
    const tpl = (
      await sys.ok(
        'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id status } }',
        { i: { name: 'Pages', channel: 'EMAIL', body: 'Hello {#name#}' } },
        o,
      )
    ).createTemplate;
    expect(tpl.status).toBe('APPROVED');
    const REJECT = 'mutation($id: ID!, $r: String!) { rejectTemplate(id: $id, reason: $r) { status rejectionReason } }';
    for (const r of ['   ', 'x'.repeat(501)]) {
      const res = await sys.gql(REJECT, { id: tpl.id, r }, o);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const stored = (await sys.ok('{ templates { id status rejectionReason } }', {}, o)).templates.find((x: { id: string }) => x.id === tpl.id);
    expect(stored).toEqual({ id: tpl.id, status: 'APPROVED', rejectionReason: null });
    expect((await sys.ok(REJECT, { id: tpl.id, r: 'Withdrawn' }, o)).rejectTemplate).toEqual({ status: 'REJECTED', rejectionReason: 'Withdrawn' });
  });
});
