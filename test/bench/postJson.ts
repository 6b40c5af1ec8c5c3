// One JSON POST over a keep-alive agent, as the serve and queue benchmarks' load generators send them: the
// status, and the execution id of a 202.

import { request as httpRequest, type Agent } from 'node:http';

export function post(port: number, agent: Agent, path: string, body: string): Promise<{ status: number; executionId?: string }> {
  return new Promise((resolveReply, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolveReply({ status, executionId: status === 202 ? (JSON.parse(text) as { executionId: string }).executionId : undefined });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
