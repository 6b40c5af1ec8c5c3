// `weft schema`: the JSON Schema editors use for .flow.json files. Every sample must satisfy it, and it must
// catch a key the format does not have.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, makeWorkspace, parseJsonOutput, runCli, SAMPLES_DIR } from './runCli';

let dir: string;
let remove: () => Promise<void>;
let validate: ValidateFunction;
let printed: { code: number | null; schema: Record<string, unknown> };

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('schema'));
  const result = await runCli(['schema'], { cwd: dir });
  const schema = parseJsonOutput<Record<string, unknown>>(result);
  printed = { code: result.code, schema };
  // Ajv's default class is draft-07, the draft the schema declares. strict: false because editors' own
  // annotation keywords (markdownDescription and the like) are not errors in a schema.
  validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
});

afterAll(async () => {
  await remove?.();
});

function sampleJsonFlows(folder = SAMPLES_DIR): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sampleJsonFlows(join(folder, entry.name))
      : entry.name.endsWith('.flow.json')
        ? [join(folder, entry.name)]
        : [],
  );
}

function readJsonc(file: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(readFileSync(file, 'utf8'), errors, { allowTrailingComma: true });
  expect(errors, `${file} is not valid JSONC`).toEqual([]);
  return value;
}

describe('weft schema', () => {
  it('prints a draft-07 JSON Schema and exits 0', () => {
    // ASSERT (the CLI ran in beforeAll)
    const { code, schema } = printed;
    expect(code).toBe(0);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
  });

  it('accepts every sample .flow.json', () => {
    // ARRANGE
    const files = sampleJsonFlows();
    expect(files.length).toBeGreaterThanOrEqual(8);

    // ACT
    const failures = files
      .map((file) => ({ file: relative(SAMPLES_DIR, file), errors: validate(readJsonc(file)) ? [] : validate.errors }))
      .filter((result) => result.errors && result.errors.length > 0);

    // ASSERT
    expect(failures).toEqual([]);
  });

  it('rejects a flow with an unknown top-level key', () => {
    // ARRANGE
    const flow = readJsonc(join(SAMPLES_DIR, 'follow-up.flow.json')) as Record<string, unknown>;
    const withTypo = { ...flow, setings: { timeoutMs: 1000 } };

    // ACT
    const valid = validate(withTypo);

    // ASSERT
    expect(valid).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'setings' } }),
    );
  });
});
