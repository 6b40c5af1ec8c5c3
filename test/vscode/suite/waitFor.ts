// Polling for the extension-host tests: VS Code applies much of its state asynchronously (activation, tab groups,
// CodeLens), so a test waits for a condition with a deadline instead of asserting at once or sleeping.

/** Resolves with the first truthy value of `probe`, polled every `intervalMs`; rejects after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
