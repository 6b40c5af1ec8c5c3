// @vitest-environment happy-dom
import '../../../support/componentTests';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInputValidator } from '../../../../src/engine/model/inputValidator';
import type { InputFormNotifications, NamedInput } from '../../../../src/protocol/inputFormProtocol';
import { App } from '../../../../webview/inputForm/App';

interface Sent {
  kind: string;
  id?: number;
  method: string;
  params: Record<string, unknown>;
}

const SCHEMA = {
  type: 'object',
  properties: {
    orderId: { type: 'string', title: 'Order id', description: 'As printed on the invoice', minLength: 3 },
    total: { type: 'number', minimum: 0 },
    priority: { enum: ['low', 'normal', 'high'], default: 'normal' },
    dueDate: { type: 'string', format: 'date' },
    express: { type: 'boolean' },
    customer: {
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
      required: ['email'],
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['orderId', 'total'],
};

/** The host, as inputFormPanel.ts answers: the engine's own validator, presets in memory. */
const host = {
  load: {} as InputFormNotifications['didLoadForm'],
  presets: [] as NamedInput[],
  submitted: [] as unknown[],
  cancelled: 0,
};

const sent = (): Sent[] => (globalThis as { __weftSentMessages?: Sent[] }).__weftSentMessages ?? [];

function fromHost(data: unknown): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data }));
  });
}

function answer(message: Sent): void {
  const validator = createInputValidator(host.load.schema);
  const reply = (result: unknown): void => void queueMicrotask(() => fromHost({ kind: 'reply', id: message.id, result }));
  switch (message.method) {
    case 'ready':
      return void queueMicrotask(() => fromHost({ kind: 'notification', method: 'didLoadForm', params: { ...host.load, presets: host.presets } }));
    case 'validate':
      return reply({ errors: validator(message.params.value).errors });
    case 'submit': {
      const errors = validator(message.params.value).errors;
      if (errors.length === 0) host.submitted.push(message.params.value);
      return reply({ errors });
    }
    case 'savePreset':
      host.presets = [...host.presets.filter((p) => p.name !== message.params.name), { name: String(message.params.name), input: message.params.value }];
      return reply({ presets: host.presets });
    case 'deletePreset':
      host.presets = host.presets.filter((p) => p.name !== message.params.name);
      return reply({ presets: host.presets });
    case 'cancel':
      host.cancelled++;
  }
}

beforeAll(() => {
  // The bridge's stand-in API records messages in this array (created when the bridge module loaded): answer them.
  const array = sent();
  array.push = (...messages: Sent[]) => {
    const length = Array.prototype.push.apply(array, messages);
    messages.forEach(answer);
    return length;
  };
});

beforeEach(() => {
  sent().length = 0;
  host.load = { flowName: 'order-intake', schema: SCHEMA, initial: { priority: 'normal' }, testInputs: [], presets: [], presetsLocation: '.vscode/weft-inputs.json' };
  host.presets = [];
  host.submitted = [];
  host.cancelled = 0;
});

afterEach(cleanup);

async function renderForm(): Promise<void> {
  render(<App />);
  await screen.findByRole('heading', { name: 'Run order-intake' });
}

const field = (name: string | RegExp): HTMLElement => screen.getByLabelText(name);
const type = (element: HTMLElement, text: string): void => void fireEvent.change(element, { target: { value: text } });

async function submittedAfterRun(): Promise<unknown> {
  const before = host.submitted.length;
  fireEvent.click(screen.getByRole('button', { name: 'Run' }));
  await waitFor(() => expect(host.submitted.length).toBe(before + 1));
  return host.submitted[before];
}

describe('run input form', () => {
  it('shows every field at once: nested objects, arrays, enums, formats, descriptions, defaults, required marks', async () => {
    await renderForm();

    // Required fields are marked for the eye and for screen readers.
    expect(field(/Order id/).getAttribute('aria-required')).toBe('true');
    expect(screen.getByText('Order id').parentElement!.textContent).toContain('(required)');
    expect(screen.getByText('As printed on the invoice')).toBeTruthy();
    expect(field(/Order id/).getAttribute('aria-describedby')).toContain('description');
    // The enum is a select with its default chosen and the default said.
    const priority = field(/priority/) as HTMLSelectElement;
    expect(priority.tagName).toBe('SELECT');
    expect([...priority.options].map((o) => o.textContent)).toEqual(['(none)', 'low', 'normal', 'high']);
    expect(priority.selectedOptions[0].textContent).toBe('normal');
    expect(screen.getByText(/Default: "normal"/)).toBeTruthy();
    // Formats pick the box.
    expect((field(/dueDate/) as HTMLInputElement).type).toBe('date');
    expect((field(/email/) as HTMLInputElement).type).toBe('email');
    expect((field(/express/) as HTMLInputElement).type).toBe('checkbox');
    // The nested object is a group with its own fields, its required one marked.
    const customer = screen.getByRole('group', { name: /customer/ });
    expect(within(customer).getByLabelText(/name/)).toBeTruthy();
    expect(within(customer).getByLabelText(/email/).getAttribute('aria-required')).toBe('true');
    // The array starts empty with a way to add.
    expect(screen.getByRole('button', { name: 'Add tags item' })).toBeTruthy();
  });

  it('validates as the user types, with the engine\'s validator, and shows the error at the field', async () => {
    await renderForm();
    const total = field(/total/);

    type(total, '12abc');
    await waitFor(() => expect(total.getAttribute('aria-invalid')).toBe('true'));
    const errorId = total.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(document.getElementById(errorId)!.textContent).toContain('Must be number.');
    // An error of a field the user has not touched yet is not shown (orderId is required and empty).
    expect(field(/Order id/).getAttribute('aria-invalid')).toBeNull();

    type(total, '-1');
    await waitFor(() => expect(document.getElementById(errorId)?.textContent).toContain('Must be >= 0.'));

    type(total, '42');
    await waitFor(() => expect(total.getAttribute('aria-invalid')).toBeNull());
    expect(document.getElementById(errorId)).toBeNull();
  });

  it('runs only a valid input: Run shows every error and focuses the first; a valid input is submitted as typed', async () => {
    await renderForm();

    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByText('2 problems to fix before running.');
    expect(host.submitted).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(field(/Order id/)));
    expect(field(/Order id/).closest('[data-pointer]')!.querySelector('.field-error')!.textContent).toContain('Required.');
    expect(field(/total/).getAttribute('aria-invalid')).toBe('true');

    type(field(/Order id/), 'A-42');
    type(field(/total/), '99.5');
    fireEvent.click(field(/express/));
    type(within(screen.getByRole('group', { name: /customer/ })).getByLabelText(/email/), 'a@example.com');
    expect(await submittedAfterRun()).toEqual({ orderId: 'A-42', total: 99.5, priority: 'normal', express: true, customer: { email: 'a@example.com' } });
  });

  it('adds and removes array items, each validated at its place', async () => {
    host.load.schema = { ...SCHEMA, properties: { ...SCHEMA.properties, tags: { type: 'array', items: { type: 'string', minLength: 2 } } } };
    host.load.initial = { orderId: 'A-42', total: 1 };
    await renderForm();

    fireEvent.click(screen.getByRole('button', { name: 'Add tags item' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add tags item' }));
    type(field('tags 1'), 'rush');
    type(field('tags 2'), 'x');
    await waitFor(() => expect(field('tags 2').getAttribute('aria-invalid')).toBe('true'));
    expect(field('tags 1').getAttribute('aria-invalid')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Remove tags 2' }));
    expect(screen.queryByLabelText('tags 2')).toBeNull();
    // priority is left out: the run applies its default.
    expect(await submittedAfterRun()).toEqual({ orderId: 'A-42', total: 1, tags: ['rush'] });
  });

  it('keeps JSON mode and the form in sync both ways, and says where JSON does not parse', async () => {
    host.load.initial = { orderId: 'A-42', total: 5, priority: 'high' };
    await renderForm();
    const toggle = screen.getByRole('button', { name: 'Edit as JSON' });

    type(field(/dueDate/), '2025-02-01');
    type(field(/total/), '6');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const json = screen.getByLabelText('Input as JSON') as HTMLTextAreaElement;
    // The keys in the schema's order, whatever order the fields were filled in.
    expect(json.value).toBe(JSON.stringify({ orderId: 'A-42', total: 6, priority: 'high', dueDate: '2025-02-01' }, null, 2));

    type(json, '{\n  "orderId": "A-43",\n  "total": 7,\n}');
    expect((await screen.findByTestId('json-parse-error')).textContent).toContain('Line 4, column 1');
    expect(toggle).toHaveProperty('disabled', true);

    type(json, '{\n  "orderId": "A-43",\n  "total": "seven"\n}');
    // Parsed: the validator's errors are listed with their paths.
    await screen.findByText(/\/total: must be number/);
    type(json, '{\n  "orderId": "A-43",\n  "total": 7,\n  "tags": ["a"]\n}');
    await waitFor(() => expect(screen.queryByText(/\/total: must be number/)).toBeNull());

    fireEvent.click(toggle);
    expect((field(/Order id/) as HTMLInputElement).value).toBe('A-43');
    expect((field(/total/) as HTMLInputElement).value).toBe('7');
    expect((field('tags 1') as HTMLInputElement).value).toBe('a');

    // And back: a form edit is in the JSON.
    type(field(/total/), '8');
    fireEvent.click(toggle);
    expect(JSON.parse((screen.getByLabelText('Input as JSON') as HTMLTextAreaElement).value)).toEqual({ orderId: 'A-43', total: 8, tags: ['a'] });
  });

  it('offers the flow\'s test inputs, and saves, loads and deletes named presets', async () => {
    host.load.testInputs = [{ name: 'big order', input: { orderId: 'B-1', total: 5000, customer: { email: 'big@example.com' } } }];
    await renderForm();
    const load = screen.getByLabelText('Load an input') as HTMLSelectElement;

    fireEvent.change(load, { target: { value: 'test:0' } });
    expect((field(/Order id/) as HTMLInputElement).value).toBe('B-1');
    expect(screen.getByTestId('input-source').textContent).toBe('Input: test “big order”');

    type(field(/total/), '6000');
    type(screen.getByLabelText('Preset name'), 'Bigger order');
    fireEvent.click(screen.getByRole('button', { name: 'Save preset' }));
    await screen.findByText('Preset “Bigger order” saved in .vscode/weft-inputs.json.');
    expect(host.presets).toEqual([{ name: 'Bigger order', input: { orderId: 'B-1', total: 6000, customer: { email: 'big@example.com' } } }]);

    type(field(/Order id/), 'changed');
    fireEvent.change(load, { target: { value: 'preset:0' } });
    expect((field(/Order id/) as HTMLInputElement).value).toBe('B-1');
    expect((field(/total/) as HTMLInputElement).value).toBe('6000');

    fireEvent.click(screen.getByRole('button', { name: 'Delete preset' }));
    await screen.findByText('Preset “Bigger order” deleted.');
    expect(host.presets).toEqual([]);
    expect(within(load).queryByRole('option', { name: 'Bigger order' })).toBeNull();
  });

  it('fills every field with a sample made from the schema, which the engine accepts', async () => {
    await renderForm();

    fireEvent.click(screen.getByRole('button', { name: 'Sample' }));
    expect((field(/dueDate/) as HTMLInputElement).value).toBe('2025-01-31');
    expect((within(screen.getByRole('group', { name: /customer/ })).getByLabelText(/email/) as HTMLInputElement).value).toBe('someone@example.com');
    expect((field(/Order id/) as HTMLInputElement).value).toBe('text');
    expect(await submittedAfterRun()).toMatchObject({ orderId: 'text', total: 0, priority: 'normal', tags: ['text'] });
  });

  it('runs from the keyboard: Enter in a box, Ctrl+Enter anywhere (the JSON box too)', async () => {
    host.load.initial = { orderId: 'A-42', total: 1 };
    await renderForm();

    fireEvent.submit(field(/Order id/).closest('form')!);
    await waitFor(() => expect(host.submitted).toHaveLength(1));

    fireEvent.click(screen.getByRole('button', { name: 'Edit as JSON' }));
    const json = screen.getByLabelText('Input as JSON');
    type(json, '{ "orderId": "K-1", "total": 2 }');
    fireEvent.keyDown(json, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(host.submitted).toHaveLength(2));
    expect(host.submitted[1]).toEqual({ orderId: 'K-1', total: 2 });
  });

  it('edits as JSON a field it has no widget for (anyOf), with the parse error at that field', async () => {
    host.load.schema = { type: 'object', properties: { target: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } }, required: ['target'] };
    host.load.initial = {};
    await renderForm();
    const target = field(/target/);
    expect(target.tagName).toBe('TEXTAREA');

    type(target, '["a", ');
    await screen.findByText(/Line 1, column 7: unexpected end of the text/);
    type(target, '["a", "b"]');
    await waitFor(() => expect(screen.queryByText(/Line 1/)).toBeNull());
    expect(await submittedAfterRun()).toEqual({ target: ['a', 'b'] });
  });

  it('Cancel closes the form without running', async () => {
    await renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(host.cancelled).toBe(1);
    expect(host.submitted).toEqual([]);
  });
});
