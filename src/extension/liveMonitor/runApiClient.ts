// The parts of a `weft serve`'s run API (spec section 14) the live monitor reads: the recent runs, to fill the
// Live Runs view and to reload it after a `stream.reset`, one run's record when it ends or is opened, cancel, and
// the status's open circuits.
// The token goes in the Authorization header, never in the URL (which proxies log).

import type { CircuitSnapshot } from '../../engine/circuit/circuitBreaker';
import type { RunSummary } from '../../engine/history/runSummary';
import type { RunRecord } from '../../engine/run/runRecord';

const RUNS_PATH = '/_weft/runs';
const STATUS_PATH = '/_weft/status';
const TIMEOUT_MS = 10_000;

export class RunApiError extends Error {
  override readonly name = 'RunApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class RunApiClient {
  constructor(
    private readonly serverUrl: string,
    private readonly token?: string,
  ) {}

  async recentRuns(limit: number): Promise<RunSummary[]> {
    const answer = (await this.request('GET', `${RUNS_PATH}?limit=${limit}`)) as { runs?: RunSummary[] };
    return Array.isArray(answer.runs) ? answer.runs : [];
  }

  async record(executionId: string): Promise<RunRecord> {
    return (await this.request('GET', `${RUNS_PATH}/${encodeURIComponent(executionId)}`)) as RunRecord;
  }

  /** The server's circuit breakers (`/_weft/status`; in queue mode, the ones its workers share). */
  async circuits(): Promise<CircuitSnapshot[]> {
    const answer = (await this.request('GET', STATUS_PATH)) as { circuits?: CircuitSnapshot[] };
    return Array.isArray(answer.circuits) ? answer.circuits : [];
  }

  async cancel(executionId: string): Promise<void> {
    await this.request('POST', `${RUNS_PATH}/${encodeURIComponent(executionId)}/cancel`);
  }

  private async request(method: string, path: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const base = this.serverUrl.replace(/\/+$/, '').replace(/^ws(s?):/, 'http$1:');
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new RunApiError(`${method} ${path}: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) throw new RunApiError(`${method} ${path}: HTTP ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`, response.status);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
