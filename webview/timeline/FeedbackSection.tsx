// Decision feedback on a node card: was this output right? Correct or Incorrect opens a small form (a category,
// a note and, when incorrect, the expected output as JSON); saving stores it beside the run in history (never in
// the flow file). Once a node has feedback, "Make test from feedback" adds it as a test case of the flow file.

import { useState, type ReactElement } from 'react';
import type { FeedbackEntry } from '../../src/engine/history/feedbackStore';
import type { FeedbackForm } from './actions';

export interface FeedbackActions {
  /** Resolves with why it was not stored, or undefined when it was. */
  onFeedback: (nodeId: string, form: FeedbackForm) => Promise<string | undefined>;
  /** Resolves with what happened, to say in the card. */
  onMakeTest: (nodeId: string) => Promise<string>;
}

export function FeedbackSection({ nodeId, feedback, actions }: { nodeId: string; feedback?: FeedbackEntry; actions: FeedbackActions }): ReactElement {
  const [draft, setDraft] = useState<FeedbackForm | undefined>(undefined);
  const [status, setStatus] = useState<{ text: string; error: boolean } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const verdict = draft?.verdict ?? feedback?.verdict;

  const pick = (picked: 'correct' | 'incorrect'): void => {
    setStatus(undefined);
    setDraft({
      verdict: picked,
      category: feedback?.category ?? '',
      note: feedback?.note ?? '',
      expected: feedback?.expected === undefined ? '' : JSON.stringify(feedback.expected, null, 2),
    });
  };
  const save = async (): Promise<void> => {
    if (!draft) return;
    setBusy(true);
    const form: FeedbackForm = { verdict: draft.verdict };
    if (draft.category) form.category = draft.category;
    if (draft.note) form.note = draft.note;
    if (draft.verdict === 'incorrect' && draft.expected) form.expected = draft.expected;
    const error = await actions.onFeedback(nodeId, form);
    setBusy(false);
    if (error === undefined) setDraft(undefined);
    setStatus(error === undefined ? { text: `Saved: ${draft.verdict}.`, error: false } : { text: error, error: true });
  };
  const makeTest = async (): Promise<void> => {
    setBusy(true);
    const message = await actions.onMakeTest(nodeId);
    setBusy(false);
    setStatus({ text: message, error: false });
  };

  return (
    <section className="weft-feedback" aria-label="Feedback">
      <h4>Was this output right?</h4>
      <div className="weft-feedback-verdict" role="group" aria-label="Verdict">
        <button type="button" className={verdict === 'correct' ? '' : 'secondary'} aria-pressed={verdict === 'correct'} onClick={() => pick('correct')} disabled={busy}>
          Correct
        </button>
        <button type="button" className={verdict === 'incorrect' ? '' : 'secondary'} aria-pressed={verdict === 'incorrect'} onClick={() => pick('incorrect')} disabled={busy}>
          Incorrect
        </button>
        {feedback && !draft && (
          <span className="weft-muted">
            {feedback.category ? `${feedback.category}` : ''}
            {feedback.note ? ` — ${feedback.note}` : ''}
          </span>
        )}
      </div>
      {draft && (
        <form
          className="weft-feedback-form"
          aria-label={`Feedback: ${draft.verdict}`}
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label>
            Category
            <input type="text" value={draft.category ?? ''} placeholder="e.g. wrong-priority" onChange={(e) => setDraft({ ...draft, category: e.target.value })} />
          </label>
          <label>
            Note
            <textarea rows={2} value={draft.note ?? ''} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
          </label>
          {draft.verdict === 'incorrect' && (
            <label>
              Expected output (JSON)
              <textarea className="weft-mono" rows={3} value={draft.expected ?? ''} onChange={(e) => setDraft({ ...draft, expected: e.target.value })} />
            </label>
          )}
          <div className="weft-feedback-buttons">
            <button type="submit" disabled={busy}>
              Save feedback
            </button>
            <button type="button" className="secondary" onClick={() => setDraft(undefined)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {feedback && !draft && (
        <button type="button" className="weft-link" onClick={() => void makeTest()} disabled={busy}>
          Make test from feedback
        </button>
      )}
      <p role="status" className={status?.error ? 'weft-error-text' : 'weft-muted'}>
        {status?.text}
      </p>
    </section>
  );
}
