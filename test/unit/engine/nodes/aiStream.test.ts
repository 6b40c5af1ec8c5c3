import { describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { readChatStream } from '../../../../src/engine/nodes/aiStream';
import type { StreamChannel } from '../../../../src/engine/nodes/aiStream';

/** A streamed response whose body arrives in exactly these pieces (cut anywhere, even inside a line). */
function streamed(pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ model: 'm-1', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
}

async function read(pieces: string[]): Promise<{ deltas: [string, StreamChannel][]; answer: any }> {
  const deltas: [string, StreamChannel][] = [];
  const text = await readChatStream(streamed(pieces), (delta, channel) => deltas.push([delta, channel]), 'POST http://x/chat/completions');
  return { deltas, answer: JSON.parse(text) };
}

describe('readChatStream', () => {
  it('joins events cut at any byte, with CRLF line ends, and assembles the answer with its usage', async () => {
    // ARRANGE: the stream, then cut into 7-character pieces
    const whole = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'think' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }).replace(/\n/g, '\r\n'),
      `data: ${JSON.stringify({ model: 'm-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      `: keep-alive\n\ndata: ${JSON.stringify({ model: 'm-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`,
      'data: [DONE]\n\n',
    ].join('');
    const pieces = whole.match(/[\s\S]{1,7}/g)!;

    // ACT
    const { deltas, answer } = await read(pieces);

    // ASSERT
    expect(deltas).toEqual([
      ['think', 'reasoning'],
      ['Hel', 'answer'],
      ['lo', 'answer'],
    ]);
    expect(answer).toEqual({
      model: 'm-1',
      usage: { prompt_tokens: 3, completion_tokens: 2 },
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
    });
  });

  it('joins the deltas of one read of the body, per channel and in order', async () => {
    const { deltas } = await read([chunk({ reasoning_content: 'a' }) + chunk({ reasoning_content: 'b' }) + chunk({ content: 'c' }) + chunk({ content: 'd' }), chunk({ content: 'e' })]);

    expect(deltas).toEqual([
      ['ab', 'reasoning'],
      ['cd', 'answer'],
      ['e', 'answer'],
    ]);
  });

  it('reads `data:` without a space, and `reasoning` as some servers name it', async () => {
    const { deltas } = await read([`data:${JSON.stringify({ choices: [{ delta: { reasoning: 'r' } }] })}\n\n`, chunk({ content: 'a' })]);

    expect(deltas).toEqual([
      ['r', 'reasoning'],
      ['a', 'answer'],
    ]);
  });

  it('fails operationally when the server reports an error in the middle of the stream', async () => {
    const error = await read([chunk({ content: 'Hel' }), `data: ${JSON.stringify({ error: { message: 'upstream overloaded' } })}\n\n`]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WeftError);
    expect((error as WeftError).kind).toBe('operational');
    expect((error as WeftError).message).toContain('upstream overloaded');
  });

  it('keeps a refusal as the message refusal, with no content', async () => {
    const { answer } = await read([chunk({ refusal: "I can't " }), chunk({ refusal: 'help.' })]);

    expect(answer.choices[0].message).toEqual({ role: 'assistant', content: null, refusal: "I can't help." });
  });

  it('assembles tool calls streamed in pieces by index (two calls interleaved), with no text deltas', async () => {
    // ARRANGE: ids and names first, then argument fragments, the two calls' pieces interleaved.
    const whole = [
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'refund', arguments: '{"am' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"id":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'ount":5}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"A-1"}' } }] }),
      `data: ${JSON.stringify({ model: 'm-1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
      'data: [DONE]\n\n',
    ].join('');

    // ACT
    const { deltas, answer } = await read(whole.match(/[\s\S]{1,11}/g)!);

    // ASSERT
    expect(deltas).toEqual([]);
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.choices[0].message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"id":"A-1"}' } },
      { id: 'call_b', type: 'function', function: { name: 'refund', arguments: '{"amount":5}' } },
    ]);
  });
});
