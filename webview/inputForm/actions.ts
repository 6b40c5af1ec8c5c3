// Everything the input form asks of the host, in one place (components never call the bridge).

import type { InputFieldError, InputFormInbound, InputFormNotifications, InputFormReplies, NamedInput } from '../../src/protocol/inputFormProtocol';
import { createHostBridge } from '../shared/hostBridge';

const bridge = createHostBridge<InputFormInbound, InputFormReplies, InputFormNotifications, never>();

/** The page listens: the host sends the form. */
export function ready(): void {
  bridge.command('ready', {});
}

/** Closes the form; nothing runs. */
export function cancel(): void {
  bridge.command('cancel', {});
}

/** The engine's complaints about the value, at JSON Pointers. */
export async function validate(value: unknown): Promise<InputFieldError[]> {
  return (await bridge.request('validate', { value })).errors;
}

/** Runs with the value, unless the engine refuses it (then its errors come back and the form stays). */
export async function submit(value: unknown): Promise<InputFieldError[]> {
  return (await bridge.request('submit', { value })).errors;
}

export async function savePreset(name: string, value: unknown): Promise<NamedInput[]> {
  return (await bridge.request('savePreset', { name, value })).presets;
}

export async function deletePreset(name: string): Promise<NamedInput[]> {
  return (await bridge.request('deletePreset', { name })).presets;
}

export function onLoad(handler: (params: InputFormNotifications['didLoadForm']) => void): () => void {
  return bridge.on('didLoadForm', handler);
}
