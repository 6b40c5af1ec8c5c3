// A promise with its resolve and reject, for writes that many callers await together.

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Handled here so a caller that does not await cannot crash the process; awaiting still rejects.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
