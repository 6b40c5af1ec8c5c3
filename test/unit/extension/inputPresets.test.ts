import { describe, expect, it } from 'vitest';
import { presetsOf, withoutPreset, withPreset } from '../../../src/extension/inputPresets';

describe('input presets file', () => {
  it('saves per flow, replaces a preset of the same name in place, and keeps what else the file holds', () => {
    let text = withPreset(undefined, 'flows/order.flow.json', 'Big order', { total: 5000 });
    text = withPreset(text, 'flows/order.flow.json', 'Small order', { total: 5 });
    text = withPreset(text, 'flows/other.flow.json', 'Big order', { other: true });
    text = withPreset(text, 'flows/order.flow.json', 'Big order', { total: 9000 });
    const withComment = JSON.stringify({ ...JSON.parse(text), note: 'kept' });

    expect(presetsOf(text, 'flows/order.flow.json')).toEqual([
      { name: 'Big order', input: { total: 9000 } },
      { name: 'Small order', input: { total: 5 } },
    ]);
    expect(presetsOf(text, 'flows/other.flow.json')).toEqual([{ name: 'Big order', input: { other: true } }]);
    expect(JSON.parse(withPreset(withComment, 'x', 'y', 1)).note).toBe('kept');
    // Reviewable in a diff: indented, one line per key, a final newline.
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').length).toBeGreaterThan(10);
  });

  it('deletes a preset; a flow left with none leaves the file', () => {
    let text = withPreset(undefined, 'a.flow.json', 'one', 1);
    text = withPreset(text, 'a.flow.json', 'two', 2);
    text = withoutPreset(text, 'a.flow.json', 'one');
    expect(presetsOf(text, 'a.flow.json')).toEqual([{ name: 'two', input: 2 }]);
    text = withoutPreset(text, 'a.flow.json', 'two');
    expect(JSON.parse(text)).toEqual({ presets: {} });
  });

  it('has no presets without a file, and refuses to overwrite a file that is not presets', () => {
    expect(presetsOf(undefined, 'a.flow.json')).toEqual([]);
    expect(presetsOf('', 'a.flow.json')).toEqual([]);
    expect(() => withPreset('{ "presets": ', 'a.flow.json', 'x', 1)).toThrow(expect.objectContaining({ code: 'presets-unreadable' }));
    expect(() => withPreset('[1]', 'a.flow.json', 'x', 1)).toThrow(/must hold a JSON object/);
    expect(() => withPreset('{ "presets": [] }', 'a.flow.json', 'x', 1)).toThrow(/"presets" must be an object/);
  });
});
