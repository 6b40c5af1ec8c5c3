// What a call of the `ai` node cost, from a small built-in price table. Prices change: the table is a snapshot,
// and a model not in it (or served by someone else under the same name) simply gets no `costUsd`.

/** The date the prices below were taken from the providers' published price lists. */
export const AI_PRICES_AS_OF = '2025-08-15';

/** US dollars per million tokens, standard tier, uncached input. */
export interface ModelPrice {
  input: number;
  output: number;
}

export const AI_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

// APIs answer with the dated snapshot they used ("gpt-4o-mini-2024-07-18"); it costs what its alias costs.
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

/** The price of a model by its name or a dated snapshot of it, else undefined. */
export function priceOf(model: string): ModelPrice | undefined {
  // Own keys only: a model named "constructor" must not find Object.prototype's.
  if (Object.hasOwn(AI_PRICES, model)) return AI_PRICES[model];
  const alias = model.replace(DATED_SNAPSHOT, '');
  return Object.hasOwn(AI_PRICES, alias) ? AI_PRICES[alias] : undefined;
}

/** The cost in US dollars of a call, or undefined when the model's price is not known. */
export function costUsd(model: string, inputTokens: number, outputTokens: number): number | undefined {
  const price = priceOf(model);
  if (price === undefined) return undefined;
  const dollars = (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  // Rounded to a billionth of a dollar, so float noise (0.30000000000000004) does not reach the record.
  return Math.round(dollars * 1e9) / 1e9;
}
