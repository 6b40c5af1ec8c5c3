// A JSON value as a tree, shared by the execution, history and canvas panels. Keyboard use follows the ARIA tree
// pattern (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/): one tab stop, Up/Down move, Right opens or goes to
// the first child, Left closes or goes to the parent, Home/End, Enter/Space toggle; Ctrl/Cmd+C copies the focused
// value. The tree is drawn flat (treeitems with aria-level), from the open nodes only, and each node shows at most
// `maxChildren` children, so a huge value costs what is on screen, not its size. Copying and "Show all" are
// callbacks: the panels decide what they mean (the clipboard, the host opening the value in an editor).

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import './jsonTree.css';
import { Icon } from './Icon';

export interface JsonTreeProps {
  value: unknown;
  label?: string;
  onCopy?: (text: string) => void;
  onShowAll?: () => void;
  maxChildren?: number;
  maxStringLength?: number;
}

const DEFAULT_MAX_CHILDREN = 100;
const DEFAULT_MAX_STRING = 500;
/** Open by default down to this depth, so a small output is readable at once. */
const OPEN_DEPTH = 1;

interface Row {
  path: string;
  parent?: string;
  depth: number;
  /** The property name or index; undefined for an unlabelled root. */
  name?: string;
  value: unknown;
  /** Children in total (objects, arrays); 0 for primitives. */
  size: number;
  expandable: boolean;
  expanded: boolean;
  posInSet: number;
  setSize: number;
  /** A "Show all N" row standing for the children not drawn. */
  more?: number;
}

export function JsonTree({ value, label, onCopy, onShowAll, maxChildren = DEFAULT_MAX_CHILDREN, maxStringLength = DEFAULT_MAX_STRING }: JsonTreeProps): ReactElement {
  // Paths the user toggled away from the default (open to OPEN_DEPTH), so a new value keeps the user's choices.
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() => new Set());
  const [showingAll, setShowingAll] = useState<ReadonlySet<string>>(() => new Set());
  const [focused, setFocused] = useState<string>('$');
  const items = useRef(new Map<string, HTMLDivElement>());
  const wantFocus = useRef(false);

  const isOpen = useCallback((path: string, depth: number) => (depth < OPEN_DEPTH) !== toggled.has(path), [toggled]);

  const rows = useMemo(
    () => visibleRows(value, label, isOpen, (path) => (showingAll.has(path) ? Infinity : maxChildren)),
    [value, label, isOpen, showingAll, maxChildren],
  );
  const index = Math.max(0, rows.findIndex((row) => row.path === focused));
  const current = rows[index];

  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    items.current.get(rows[index]?.path ?? '')?.focus();
  });

  const move = (path: string | undefined): void => {
    if (path === undefined) return;
    wantFocus.current = true;
    setFocused(path);
  };
  const toggle = (row: Row): void => {
    if (!row.expandable) return;
    setToggled((set) => {
      const next = new Set(set);
      if (next.has(row.path)) next.delete(row.path);
      else next.add(row.path);
      return next;
    });
  };
  const activate = (row: Row): void => {
    if (row.more !== undefined) {
      if (onShowAll) onShowAll();
      else if (row.parent !== undefined) setShowingAll((set) => new Set(set).add(row.parent!));
      return;
    }
    toggle(row);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // The row the key was pressed on (focus may have moved without a focus event reaching React).
    const targetPath = (event.target as HTMLElement).closest?.('[role="treeitem"]')?.getAttribute('data-path');
    const at = targetPath ? rows.findIndex((r) => r.path === targetPath) : index;
    const row = rows[at];
    if (!row) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        move(rows[at + 1]?.path);
        break;
      case 'ArrowUp':
        move(rows[at - 1]?.path);
        break;
      case 'Home':
        move(rows[0]?.path);
        break;
      case 'End':
        move(rows[rows.length - 1]?.path);
        break;
      case 'ArrowRight':
        if (row.expandable && !row.expanded) toggle(row);
        else if (row.expandable) move(rows[at + 1]?.path);
        break;
      case 'ArrowLeft':
        if (row.expandable && row.expanded) toggle(row);
        else move(row.parent);
        break;
      case 'Enter':
      case ' ':
        activate(row);
        break;
      default:
        if ((event.key === 'c' || event.key === 'C') && (event.ctrlKey || event.metaKey) && onCopy && row.more === undefined) {
          // Leave a text selection to the browser's own copy.
          if (window.getSelection()?.toString()) return;
          onCopy(copyText(row.value));
        } else {
          handled = false;
        }
    }
    if (handled) event.preventDefault();
  };

  return (
    <div className="weft-json-tree weft-mono" role="tree" aria-label={label ? `${label} value` : 'JSON value'} onKeyDown={onKeyDown}>
      {rows.map((row) => (
        <div
          key={row.path}
          ref={(el) => {
            if (el) items.current.set(row.path, el);
            else items.current.delete(row.path);
          }}
          role="treeitem"
          data-path={row.path}
          aria-level={row.depth + 1}
          aria-posinset={row.posInSet}
          aria-setsize={row.setSize}
          aria-expanded={row.expandable ? row.expanded : undefined}
          aria-selected={row.path === current?.path}
          tabIndex={row.path === current?.path ? 0 : -1}
          className={`weft-json-row${row.more !== undefined ? ' weft-json-more' : ''}`}
          style={{ paddingInlineStart: `${row.depth * 14 + 2}px` }}
          onClick={() => {
            setFocused(row.path);
            activate(row);
          }}
          onFocus={() => setFocused(row.path)}
        >
          {row.more !== undefined ? (
            <span className="weft-json-show-all">Show all {row.more.toLocaleString('en-US')}</span>
          ) : (
            <>
              <span className="weft-json-twisty" aria-hidden="true">
                {row.expandable ? <Icon name={row.expanded ? 'chevron-down' : 'chevron-right'} /> : null}
              </span>
              {row.name !== undefined && <span className="weft-json-key">{row.name}: </span>}
              <Preview value={row.value} size={row.size} expanded={row.expanded} maxStringLength={maxStringLength} />
              {onCopy && (
                <button
                  type="button"
                  className="icon weft-json-copy"
                  tabIndex={-1}
                  title="Copy value (Ctrl+C)"
                  aria-label={`Copy ${row.name ?? 'value'}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    onCopy(copyText(row.value));
                  }}
                >
                  <Icon name="copy" />
                </button>
              )}
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function Preview({ value, size, expanded, maxStringLength }: { value: unknown; size: number; expanded: boolean; maxStringLength: number }): ReactElement {
  if (Array.isArray(value)) {
    return <span className="weft-json-summary">{expanded ? `[${size}]` : `[${size} item${size === 1 ? '' : 's'}]`}</span>;
  }
  if (value !== null && typeof value === 'object') {
    return <span className="weft-json-summary">{expanded ? `{${size}}` : `{${size} key${size === 1 ? '' : 's'}}`}</span>;
  }
  if (typeof value === 'string') {
    if (value.length > maxStringLength) {
      return (
        <span className="weft-json-string" title={`${value.length.toLocaleString('en-US')} characters`}>
          "{value.slice(0, maxStringLength)}…"<span className="weft-muted"> ({value.length.toLocaleString('en-US')} chars)</span>
        </span>
      );
    }
    return <span className="weft-json-string">"{value}"</span>;
  }
  const kind = value === null ? 'null' : typeof value;
  return <span className={`weft-json-${kind === 'number' || kind === 'boolean' ? kind : 'null'}`}>{value === undefined ? 'undefined' : String(value)}</span>;
}

/** What "copy" puts on the clipboard: a string as itself, anything else as pretty JSON. */
function copyText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value as object).length;
  return 0;
}

/** The rows on screen: the root, then the children of every open node, depth first, at most `limit` each. */
function visibleRows(
  value: unknown,
  label: string | undefined,
  isOpen: (path: string, depth: number) => boolean,
  limit: (path: string) => number,
): Row[] {
  const rows: Row[] = [];
  const walk = (path: string, parent: string | undefined, depth: number, name: string | undefined, v: unknown, pos: number, setSize: number): void => {
    const size = sizeOf(v);
    const expandable = size > 0;
    const expanded = expandable && isOpen(path, depth);
    rows.push({ path, parent, depth, name, value: v, size, expandable, expanded, posInSet: pos, setSize });
    if (!expanded) return;
    const max = limit(path);
    const shown = Math.min(size, max);
    const drawn = shown < size ? shown + 1 : shown;
    if (Array.isArray(v)) {
      for (let i = 0; i < shown; i++) walk(`${path}/${i}`, path, depth + 1, String(i), v[i], i + 1, drawn);
    } else {
      let i = 0;
      for (const key in v as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        if (i >= shown) break;
        walk(`${path}/${encodeURIComponent(key)}`, path, depth + 1, key, (v as Record<string, unknown>)[key], ++i, drawn);
      }
    }
    if (shown < size) {
      rows.push({ path: `${path}/…more`, parent: path, depth: depth + 1, value: undefined, size: 0, expandable: false, expanded: false, posInSet: drawn, setSize: drawn, more: size });
    }
  };
  walk('$', undefined, 0, label, value, 1, 1);
  return rows;
}
