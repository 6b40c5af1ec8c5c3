// The redactor (issue 9, defect 3): every encoding a secret takes on its way out, at any depth.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import { CIRCULAR, REDACTED, Redactor } from '../../../../src/engine/run/redact';
import { flowOf, runDefinition, transform } from '../../../support/runHelpers';

const SECRET = 'AbC+dE/fGh==';

describe('Redactor', () => {
  it('redacts a secret percent-encoded by an http query, also inside an error message', () => {
    // ARRANGE: the URL an http node builds for query { key: secret }, and the error it fails with.
    const redactor = new Redactor({ TOKEN: SECRET });
    const url = new URL('http://127.0.0.1:1/items');
    url.searchParams.append('key', SECRET);
    const message = `GET ${url.href} failed: bad port`;

    // ACT
    const redacted = redactor.text(message);

    // ASSERT
    expect(url.href).toContain('AbC%2BdE%2FfGh%3D%3D');
    expect(redacted).toBe(`GET http://127.0.0.1:1/items?key=${REDACTED} failed: bad port`);
  });

  it('redacts encodeURIComponent, encodeURI, lowercase hex and + for a space', () => {
    const secret = 'p@ss word/é+1';
    const redactor = new Redactor({ S: secret });
    for (const encoded of [
      encodeURIComponent(secret),
      encodeURI(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      new URLSearchParams({ q: secret }).toString().slice(2),
    ]) {
      expect(redactor.text(`x=${encoded}&y=1`)).toBe(`x=${REDACTED}&y=1`);
    }
  });

  it('redacts the JSON-escaped form json() leaves in a string for a secret holding " or \\', () => {
    const secret = 'pa"ss\\wo/rdé';
    const redactor = new Redactor({ S: secret });
    // json() as the engine writes it, and as a serializer that escapes / and non-ASCII (Python's json.dumps) does.
    const output = { body: JSON.stringify({ password: secret }), ascii: '{"password": "pa\\"ss\\\\wo\\/rd\\u00e9"}' };

    const redacted = redactor.value(output);
    const stored = JSON.stringify(redacted);

    expect(output.body).toContain('pa\\"ss\\\\wo');
    expect(stored).not.toContain('pa\\\\\\"ss'); // the escaped form, as it is written to history
    expect(stored).not.toContain('u00e9');
    expect(redacted).toEqual({ body: `{"password":"${REDACTED}"}`, ascii: `{"password": "${REDACTED}"}` });
  });

  it('redacts base64 and base64url of the secret, alone and inside Basic auth', () => {
    const secret = 'tok?en>>~~secret';
    const redactor = new Redactor({ S: secret });
    const alone = Buffer.from(secret).toString('base64');
    const url = Buffer.from(secret).toString('base64url');
    expect(redactor.text(`x ${alone} y`)).toBe(`x ${REDACTED} y`);
    expect(redactor.text(`x ${url} y`)).toBe(`x ${REDACTED} y`);

    for (const user of ['u', 'us', 'usr', 'admin']) {
      const basic = Buffer.from(`${user}:${secret}`).toString('base64');
      const redacted = redactor.text(`Authorization: Basic ${basic}`);
      expect(redacted).toContain(REDACTED);
      // What is left decodes to at most a byte of the secret at each end.
      for (const piece of redacted.slice('Authorization: Basic '.length).split(REDACTED)) {
        for (let shift = 0; shift < 4; shift++) expect(Buffer.from(piece.slice(shift), 'base64').toString('latin1')).not.toContain('en>>~~se');
      }
    }
  });

  it('matches raw only for short secrets, so their base64 does not redact unrelated text', () => {
    const redactor = new Redactor({ S: 'ab' });
    expect(redactor.text('YWI= ab')).toBe(`YWI= ${REDACTED}`);
  });

  it('redacts a secret 102 and 10,000 levels deep, in values and keys, without overflowing the stack', () => {
    const redactor = new Redactor({ S: SECRET });
    for (const depth of [102, 10_000]) {
      let value: unknown = `deep ${SECRET}`;
      for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { [`k-${SECRET}`]: value, n: i } : [0, value];

      let node = redactor.value(value) as unknown;
      let levels = 0;
      while (typeof node === 'object' && node !== null) {
        if (Array.isArray(node)) node = node[1];
        else {
          expect(Object.keys(node).sort()).toEqual([`k-${REDACTED}`, 'n']);
          node = (node as Record<string, unknown>)[`k-${REDACTED}`];
        }
        levels++;
      }
      expect(levels).toBe(depth);
      expect(node).toBe(`deep ${REDACTED}`);
    }
  });

  it('keeps a value without secrets as it is, shares unchanged branches, and cuts a cycle that would carry the secret', () => {
    const redactor = new Redactor({ S: SECRET });
    const clean = { a: [1, 'two', { three: null }] };
    expect(redactor.value(clean)).toBe(clean);

    const cyclic: Record<string, unknown> = { token: SECRET, clean };
    cyclic.self = cyclic;
    const redacted = redactor.value(cyclic);
    expect(redacted.token).toBe(REDACTED);
    expect(redacted.clean).toBe(clean);
    expect(redacted.self).toBe(CIRCULAR);
    expect(cyclic.token).toBe(SECRET);
  });

  it('does not bring a secret back by joining the text around a replacement', () => {
    const secret = 'ab***cd-secret';
    const redactor = new Redactor({ S: secret });
    expect(redactor.text(`ab${secret}cd-secret`)).not.toContain(secret);
  });
});

describe('what a run records and emits', () => {
  it('redacts the trigger (a webhook query holding the secret) in the record and the started event, and a deep output', async () => {
    // ARRANGE: a webhook-style trigger with the secret percent-encoded in its URL, and an output 102 levels deep
    let deep: unknown = '{{ secrets.TOKEN }}';
    for (let i = 0; i < 102; i++) deep = { d: deep };
    const trigger = { type: 'webhook', url: `/hooks/x?token=${encodeURIComponent(SECRET)}`, query: { token: SECRET } };

    // ACT
    const { record, events } = await runDefinition(flowOf([transform('a', deep)]), { secrets: { TOKEN: SECRET }, trigger });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(record.trigger).toEqual({ type: 'webhook', url: `/hooks/x?token=${REDACTED}`, query: { token: REDACTED } });
    expect(events[0]).toMatchObject({ type: 'execution.started', trigger: record.trigger });
    const everything = JSON.stringify({ record, events });
    for (const form of [SECRET, encodeURIComponent(SECRET)]) expect(everything).not.toContain(form);
  });

  it('redacts the state a node saves for resume, in every checkpoint and the final record', async () => {
    // ARRANGE: a custom node that keeps a token it was given in its resume state (a careless node type).
    const keepsToken = defineNodeType({
      type: 'keeps-token',
      title: 'test',
      description: 'test',
      configSchema: z.object({ token: z.string() }),
      ports: ['out'],
      run: async (ctx) => {
        await ctx.saveState({ session: ctx.config.token, step: 1 });
        return { output: { ok: true } };
      },
    });
    const checkpoints: string[] = [];

    // ACT
    const { record } = await runDefinition(flowOf([{ id: 'k', type: 'keeps-token', config: { token: '{{ secrets.TOKEN }}' } }]), {
      secrets: { TOKEN: SECRET },
      types: [keepsToken],
      onCheckpoint: async (saved) => void checkpoints.push(JSON.stringify(saved)),
    });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(record.nodes.k.state).toEqual({ session: REDACTED, step: 1 });
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const saved of [...checkpoints, JSON.stringify(record)]) expect(saved).not.toContain(SECRET);
  });
});
