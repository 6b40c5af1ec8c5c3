// A path into a JSON value: object keys and array indexes from the root, e.g. ['nodes', 2, 'config', 'url'].

export type JsonPath = (string | number)[];
