// Which files are flows (spec section 1): `*.flow.json` and `*.flow.ts`, nothing else. The CLI's file arguments,
// its directory walk, live mode and the editor all ask this one question, so a file is a flow everywhere or
// nowhere (a `.flow.mjs` is a plain module, not a flow).

export type FlowFileKind = 'json' | 'ts';

const FLOW_FILE = /\.flow\.(json|ts)$/;

/** `'json'` or `'ts'` for a flow file's path (or name, or URI path); undefined for any other file. */
export function flowFileKind(path: string): FlowFileKind | undefined {
  return FLOW_FILE.exec(path)?.[1] as FlowFileKind | undefined;
}

export function isFlowFile(path: string): boolean {
  return flowFileKind(path) !== undefined;
}
