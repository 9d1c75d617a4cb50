// Braid: the console object as Node's, writing through the session's streams. `native`
// has out(text) and err(text) (one or more lines, without the last line end) and now()
// (milliseconds, for time()); `inspect` shows a value (inspect.js).
(native, inspect) => {
  'use strict';
  let indent = '';
  const counts = new Map();
  const timers = new Map();
  const indented = (text) => (indent === '' ? text : indent + text.split('\n').join('\n' + indent));
  const show = (v) => (typeof v === 'string' ? v : inspect(v));

  // util.format: %s %d %i %f %j %o %O %c %% in a first string argument, the rest joined by spaces.
  const format = (args) => {
    let i = 0;
    let out = '';
    if (typeof args[0] === 'string' && args.length > 1) {
      i = 1;
      out = args[0].replace(/%[sdifjoOc%]/g, (m) => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const v = args[i++];
        switch (m) {
          case '%s':
            return typeof v === 'string' ? v : typeof v === 'bigint' ? v + 'n'
              : typeof v === 'object' && v !== null ? inspect(v, { depth: 0 }) : String(v);
          case '%d': return typeof v === 'bigint' ? v + 'n' : typeof v === 'object' && v !== null ? 'NaN' : String(Number(v));
          case '%i': return typeof v === 'bigint' ? v + 'n' : String(parseInt(v, 10));
          case '%f': return String(parseFloat(v));
          case '%j': try { return JSON.stringify(v); } catch (e) { return '[Circular]'; }
          case '%o': return inspect(v, { depth: 4 });
          case '%O': return inspect(v);
          case '%c': return '';
        }
        return m;
      });
    } else if (args.length > 0) {
      out = show(args[0]);
      i = 1;
    }
    for (; i < args.length; i++) out += ' ' + show(args[i]);
    return out;
  };
  const toOut = (...args) => { native.out(indented(format(args))); };
  const toErr = (...args) => { native.err(indented(format(args))); };

  const elapsed = (ms) => (ms >= 60000 ? (ms / 60000).toFixed(3) + 'min' : ms >= 1000 ? (ms / 1000).toFixed(3) + 's' : ms.toFixed(3) + 'ms');

  // console.table: a box of rows (the data's keys) and columns (its values' keys, or Values).
  const cell = (v) => {
    if (typeof v === 'string') return inspect(v);
    const deep = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2;
    return inspect(v, { depth: deep ? -1 : 0, breakLength: Infinity });
  };
  const table = (data, only) => {
    if (data === null || typeof data !== 'object') {
      toOut(data);
      return;
    }
    const columns = [];
    const rows = [];
    let values = false;
    for (const k of Object.keys(data)) {
      const row = { index: k, cells: new Map() };
      const v = data[k];
      if (v !== null && typeof v === 'object') {
        for (const c of Object.keys(v)) {
          if (only !== undefined && !only.includes(c)) continue;
          if (!columns.includes(c)) columns.push(c);
          row.cells.set(c, cell(v[c]));
        }
      } else {
        values = true;
        row.value = cell(v);
      }
      rows.push(row);
    }
    const head = ['(index)', ...(only ?? columns), ...(values ? ['Values'] : [])];
    const body = rows.map((r) => [r.index, ...(only ?? columns).map((c) => r.cells.get(c) ?? ''), ...(values ? [r.value ?? ''] : [])]);
    const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)) + 2);
    const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
    const row = (cells) => '│' + cells.map((x, c) => ' ' + x.padEnd(widths[c] - 1)).join('│') + '│';
    native.out(indented([line('┌', '┬', '┐'), row(head), line('├', '┼', '┤'), ...body.map(row), line('└', '┴', '┘')].join('\n')));
  };

  const console = {
    log: toOut,
    info: toOut,
    debug: toOut,
    warn: toErr,
    error: toErr,
    dir: (v, options) => { native.out(indented(inspect(v, options))); },
    table: (data, columns) => { table(data, columns); },
    group: (...label) => { if (label.length > 0) toOut(...label); indent += '  '; },
    groupCollapsed: (...label) => { if (label.length > 0) toOut(...label); indent += '  '; },
    groupEnd: () => { indent = indent.slice(2); },
    count: (label = 'default') => {
      const n = (counts.get(String(label)) ?? 0) + 1;
      counts.set(String(label), n);
      toOut(`${label}: ${n}`);
    },
    countReset: (label = 'default') => {
      if (!counts.delete(String(label))) toErr(`Count for '${label}' does not exist`);
    },
    time: (label = 'default') => {
      if (timers.has(String(label))) toErr(`Warning: Label '${label}' already exists for console.time()`);
      else timers.set(String(label), native.now());
    },
    timeLog: (label = 'default', ...data) => {
      const start = timers.get(String(label));
      if (start === undefined) toErr(`Warning: No such label '${label}' for console.timeLog()`);
      else toOut(`${label}: ${elapsed(native.now() - start)}`, ...data);
    },
    timeEnd: (label = 'default') => {
      const start = timers.get(String(label));
      if (start === undefined) {
        toErr(`Warning: No such label '${label}' for console.timeEnd()`);
        return;
      }
      timers.delete(String(label));
      toOut(`${label}: ${elapsed(native.now() - start)}`);
    },
    assert: (condition, ...data) => {
      if (!condition) {
        if (typeof data[0] === 'string') data[0] = 'Assertion failed: ' + data[0];
        else data.unshift('Assertion failed' + (data.length > 0 ? ':' : ''));
        toErr(...data);
      }
    },
    trace: (...data) => {
      const stack = String(new Error().stack).split('\n').slice(1).join('\n');
      native.err(indented('Trace' + (data.length > 0 ? ': ' + format(data) : '') + (stack ? '\n' + stack : '')));
    },
  };
  return console;
}
