// What a node id (and a port name) may be (spec section 3): the schema, rename, the canvas and the webview
// protocol all check against this one pattern.

export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A port name (a `switch` case, a `split` branch) follows the node id rule, so `nodes.x.port` reads the same. */
export const PORT_NAME_PATTERN = NODE_ID_PATTERN;
