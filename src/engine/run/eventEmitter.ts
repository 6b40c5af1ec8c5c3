// How a run's events leave the engine: each draft gets the run's id, the next per-run `seq` and a time, and goes
// to the subscriber, whose failure never breaks the run (subscribers report their own failures).

import type { EngineEvent } from './events';
import { isoNow } from './isoClock';
import type { EventDraft } from './runContext';

export function eventEmitter(executionId: string, onEvent: ((event: EngineEvent) => void) | undefined): (draft: EventDraft) => void {
  let seq = 0;
  return (draft) => {
    seq++;
    if (!onEvent) return;
    const event = draft as EngineEvent;
    event.executionId = executionId;
    event.seq = seq;
    // A draft that brings its time brings the record's (see EventDraft).
    if (event.ts === undefined) event.ts = isoNow();
    try {
      onEvent(event);
    } catch {
      // A subscriber's bug must not break the run.
    }
  };
}
