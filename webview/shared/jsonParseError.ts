// JSON.parse with the place of the first error: JSON.parse's own message carries a position in some engines and
// versions and not in others ("Unexpected end of JSON input"), so the JSON mode finds it itself, with a small
// scanner run only on text JSON.parse refused.

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string; offset: number; line: number; column: number };

export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const { offset, message } = firstError(text);
    const before = text.slice(0, offset).split('\n');
    return { ok: false, message, offset, line: before.length, column: before[before.length - 1].length + 1 };
  }
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Walks the grammar and reports where it breaks; assumes the text is not valid JSON. */
function firstError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string): never => {
    throw new Stop(i, message);
  };
  const describe = (): string => (i >= text.length ? 'unexpected end of the text' : `unexpected ${JSON.stringify(text[i])}`);
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (char: string, what: string): void => {
    space();
    if (text[i] !== char) fail(`${describe()}: expected ${what}`);
    i++;
  };
  const string = (): void => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('a control character inside a string: write it escaped (\\n, \\t)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a \\u escape needs four hex digits');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('an unknown escape in a string');
      }
      i++;
    }
    if (i >= text.length) fail('the string is not closed');
    i++;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail(`${describe()}: expected a property name in double quotes`);
        string();
        expect(':', '":"');
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail(`${describe()}: expected "," or "}"`);
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail(`${describe()}: expected "," or "]"`);
      }
    }
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) fail(`${describe()}: expected a value`);
    i += literal![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail(`${describe()}: expected the end of the text`);
    return { offset: i, message: 'not valid JSON' };
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: error.message };
    throw error;
  }
}
