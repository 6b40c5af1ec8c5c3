// What a node id (and a port name) may be (spec section 3): the schema, rename, the canvas and the webview
// protocol all check against this one pattern.

// Beyond the spec's pattern, three names are refused: a run keeps outputs by node id in plain objects, where
// `__proto__` would set the prototype (the node's output vanished from its record) and `constructor` and
// `prototype` would read inherited members (docs/decisions.md).
export const NODE_ID_PATTERN = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_-]*$/;

/** A port name (a `switch` case, a `split` branch) follows the node id rule, so `nodes.x.port` reads the same. */
export const PORT_NAME_PATTERN = NODE_ID_PATTERN;
