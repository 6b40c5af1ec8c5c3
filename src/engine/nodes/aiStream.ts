// Reads a streamed chat completions answer (Server-Sent Events of `chat.completion.chunk`s) as it arrives:
// each piece of answer text and of reasoning text (`reasoning_content`, or `reasoning` as some servers name it)
// goes to `onDelta` in order, and the whole is assembled into the shape of a non-streamed answer, so one reader
// (ai.ts readAnswer) maps both to the node's output. Only the assembled answer is kept.
//
// Deltas that arrive in one read of the body are joined (per channel, order kept): a fast server sends many
// tokens per packet, and one event per token would crowd the event stream's buffer and the views for nothing.

import { WeftError } from '../errors';
import { isPlainObject } from './templatedConfig';

export type StreamChannel = 'answer' | 'reasoning';

/** Returns the JSON text of `{ model, choices: [{ message, finish_reason }], usage }`. */
export async function readChatStream(response: Response, onDelta: (delta: string, channel: StreamChannel) => void, what: string): Promise<string> {
  let content = '';
  let sawContent = false;
  let refusal = '';
  let model: string | undefined;
  let usage: unknown;
  let finishReason: unknown = null;
  // Tool calls arrive in pieces keyed by `index`: the id and name first, the arguments' JSON text in fragments.
  const toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  // The deltas of the current read, joined while the channel stays the same.
  let pending = '';
  let pendingChannel: StreamChannel = 'answer';
  const queue = (delta: string, channel: StreamChannel): void => {
    if (pending !== '' && channel !== pendingChannel) flush();
    pending += delta;
    pendingChannel = channel;
  };
  const flush = (): void => {
    if (pending === '') return;
    const delta = pending;
    pending = '';
    onDelta(delta, pendingChannel);
  };

  const onData = (data: string): boolean => {
    if (data === '[DONE]') return true;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new WeftError('flow-error', `${what} streamed something that is not JSON: ${data.slice(0, 200)}`, { kind: 'operational' });
    }
    if (!isPlainObject(chunk)) return false;
    // A server that fails after it started streaming says so in a chunk (OpenAI, vLLM, LiteLLM).
    if (chunk.error !== undefined) {
      const error = chunk.error;
      const message = isPlainObject(error) && typeof error.message === 'string' ? error.message : JSON.stringify(error);
      throw new WeftError('http-status', `${what} failed while streaming: ${message}`, { kind: 'operational' });
    }
    if (typeof chunk.model === 'string' && chunk.model !== '') model = chunk.model;
    if (isPlainObject(chunk.usage)) usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) && isPlainObject(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (choice === undefined) return false;
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) finishReason = choice.finish_reason;
    const delta = isPlainObject(choice.delta) ? choice.delta : undefined;
    if (delta === undefined) return false;
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';
    if (reasoning !== '') queue(reasoning, 'reasoning');
    if (typeof delta.content === 'string') {
      sawContent = true;
      if (delta.content !== '') {
        content += delta.content;
        queue(delta.content, 'answer');
      }
    }
    if (typeof delta.refusal === 'string') refusal += delta.refusal;
    if (Array.isArray(delta.tool_calls)) {
      for (const piece of delta.tool_calls.filter(isPlainObject)) {
        const index = typeof piece.index === 'number' ? piece.index : toolCalls.length;
        const call = (toolCalls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (typeof piece.id === 'string') call.id = piece.id;
        const fn = isPlainObject(piece.function) ? piece.function : {};
        if (typeof fn.name === 'string') call.function.name += fn.name;
        if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
      }
    }
    return false;
  };

  await readServerSentEvents(response, onData, flush);
  // Not on failure: a cancelled or timed-out node must send nothing after its end.
  flush();

  const message: Record<string, unknown> = { role: 'assistant', content: sawContent || refusal === '' ? content : null };
  if (refusal !== '') message.refusal = refusal;
  const calls = toolCalls.filter((call) => call !== undefined);
  if (calls.length > 0) message.tool_calls = calls;
  const assembled: Record<string, unknown> = { choices: [{ index: 0, message, finish_reason: finishReason }] };
  if (model !== undefined) assembled.model = model;
  if (usage !== undefined) assembled.usage = usage;
  return JSON.stringify(assembled);
}

/**
 * Calls `onData` with each event's data (its `data:` lines joined by newlines), in order, until it returns true
 * or the body ends. Events end with a blank line; CRLF and CR line ends are accepted, as the SSE spec says.
 */
async function readServerSentEvents(response: Response, onData: (data: string) => boolean, onReadDone: () => void): Promise<void> {
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let dataLines: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value !== undefined) buffer += value;
      // The last line may be incomplete until more arrives (or the body ends).
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = done ? '' : lines.pop()!;
      for (const line of lines) {
        if (line === '') {
          if (dataLines.length > 0 && onData(dataLines.join('\n'))) return;
          dataLines = [];
        } else if (line.startsWith('data:')) {
          dataLines.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        // Comments (`: keep-alive`), `event:`, `id:` and `retry:` lines carry nothing a completion needs.
      }
      if (done) {
        if (dataLines.length > 0) onData(dataLines.join('\n'));
        return;
      }
      onReadDone();
    }
  } finally {
    // Stop reading (a [DONE] before the body ends, or an error): the connection is let go, not drained.
    reader.cancel().catch(() => undefined);
  }
}
