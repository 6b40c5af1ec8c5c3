// The panel's header: which flow, how the run stands (status pill, live timer, "n of m nodes"), AI usage, and the
// run's actions. Cancel shows while the run is live; Resume when it can be resumed; Re-run once it has ended.

import { useMemo, type ReactElement } from 'react';
import { formatCost, formatCount, formatDuration } from './format';
import { progressText, runDuration, runUsage, type RunView } from './runState';
import { useNow } from './useNow';

export interface HeaderProps {
  view: RunView;
  fileName?: string;
  live: boolean;
  requestId?: string;
  message?: string;
  onCancel: (requestId: string) => void;
  onRerun: (runId: string) => void;
  onResume: (runId: string) => void;
  onRevealNode: (nodeId: string) => void;
  onOpenRunValue: (which: 'input' | 'output' | 'error') => void;
}

const STATUS_WORDS: Record<RunView['status'], string> = {
  starting: 'Starting',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function Header(props: HeaderProps): ReactElement {
  const { view, live, requestId } = props;
  const running = live && (view.status === 'running' || view.status === 'starting');
  const now = useNow(running, 100);
  const duration = runDuration(view, now);
  const resumable = !live && view.runId !== undefined && (view.status === 'failed' || view.status === 'cancelled' || view.status === 'interrupted');
  // Summed over the nodes once per change of the view, not per event.
  const usage = useMemo(() => runUsage(view), [view]);
  const calls = usage?.calls ?? (usage ? 1 : 0);
  const percent = view.totalNodes > 0 ? Math.round((view.settledNodes / view.totalNodes) * 100) : 0;

  return (
    <header className="weft-exec-header">
      <div className="weft-exec-title">
        <h1>{view.flowName ?? 'Run'}</h1>
        {props.fileName && <span className="weft-muted">{props.fileName}</span>}
        <span className="weft-status" data-status={view.status === 'starting' ? 'pending' : view.status}>
          {STATUS_WORDS[view.status]}
        </span>
        <span className="weft-exec-timer weft-mono" aria-label={`Duration ${formatDuration(duration)}`} role="timer">
          {formatDuration(duration)}
        </span>
        <span className="weft-exec-actions">
          {live && requestId && (
            <button type="button" onClick={() => props.onCancel(requestId)} disabled={!running}>
              Cancel
            </button>
          )}
          {resumable && (
            <button type="button" onClick={() => props.onResume(view.runId!)} title="Run again, reusing the nodes that completed">
              Resume
            </button>
          )}
          {!live && view.runId && (
            <button type="button" className={resumable ? 'secondary' : undefined} onClick={() => props.onRerun(view.runId!)} title="Run again with the same input">
              Re-run
            </button>
          )}
        </span>
      </div>
      <div className="weft-exec-summary">
        <span className="weft-exec-progress-text" data-testid="progress">
          {progressText(view)}
        </span>
        <div
          className="weft-exec-progress"
          role="progressbar"
          aria-label="Nodes ended"
          aria-valuemin={0}
          aria-valuemax={view.totalNodes}
          aria-valuenow={view.settledNodes}
          aria-valuetext={progressText(view)}
        >
          <div className="weft-exec-progress-fill" data-status={view.status} style={{ width: `${percent}%` }} />
        </div>
        {usage && (
          <span className="weft-exec-usage" title={`${calls} AI call${calls === 1 ? '' : 's'}`}>
            {formatCount(usage.inputTokens)} tokens in · {formatCount(usage.outputTokens)} out
            {usage.costUsd !== undefined && <> · ≈ {formatCost(usage.costUsd)}</>}
          </span>
        )}
        {view.runId && <span className="weft-muted weft-mono">{view.runId}</span>}
        {view.resumedFrom && <span className="weft-muted">resumes {view.resumedFrom}</span>}
        {view.input !== undefined && (
          <button type="button" className="weft-link" onClick={() => props.onOpenRunValue('input')}>
            Run input
          </button>
        )}
        {view.status === 'completed' && (
          <button type="button" className="weft-link" onClick={() => props.onOpenRunValue('output')}>
            Run output
          </button>
        )}
      </div>
      {view.error && (
        <div className="weft-exec-run-error" role="alert">
          <span className="weft-error-text">
            {view.error.nodeId ? `${view.error.nodeId}: ` : ''}
            {view.error.message}
          </span>
          {view.error.nodeId && (
            <button type="button" className="weft-link" onClick={() => props.onRevealNode(view.error!.nodeId!)}>
              Reveal in flow file
            </button>
          )}
        </div>
      )}
      {props.message && <p className="weft-muted">{props.message}</p>}
    </header>
  );
}
