// Holds back the end of streamed text while it could be the start of a secret, so a secret split across two
// deltas reaches the event stream whole, where the run's redactor replaces it (the redactor sees one delta at a
// time). Raw secrets only: an encoded secret (base64, JSON-escaped) split across deltas is not recognised.

export class DeltaHoldback {
  private held = '';
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined>) {
    this.secrets = [...new Set([...secrets].filter((secret): secret is string => typeof secret === 'string' && secret.length > 1))];
  }

  /** Takes the next delta; returns what may go out now ('' when all of it is held). */
  push(delta: string): string {
    const text = this.held + delta;
    const keep = this.heldLength(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** What is still held, once the stream has ended. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** The length of the longest end of `text` that is the start (not the whole) of some secret. */
  private heldLength(text: string): number {
    let longest = 0;
    for (const secret of this.secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
