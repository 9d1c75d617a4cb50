// Braid: JavaScript values shown as Node's util.inspect shows them (depth 2, lines broken at
// 80 columns, the three innermost levels of nesting kept on one line when they fit, long
// arrays of short items in columns), for console and the REPL. Nothing of the value's runs:
// accessors show as [Getter], no toString is called; only a Proxy's traps do.
(() => {
  'use strict';
  const { getPrototypeOf, getOwnPropertyNames, getOwnPropertyDescriptor, getOwnPropertySymbols } = Object;
  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const indexKey = /^(0|[1-9]\d*)$/;
  const BREAK_LENGTH = 80;
  const COMPACT = 3;
  const MAX_ITEMS = 100;

  const escapes = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' };
  // Single quotes unless the text has one; then double quotes, then backticks; else escaped.
  const quote = (s) => {
    let q = "'";
    if (s.includes("'")) {
      if (!s.includes('"')) q = '"';
      else if (!s.includes('`') && !s.includes('${')) q = '`';
    }
    let out = '';
    for (const ch of s) {
      if (ch === q) out += '\\' + ch;
      else if (escapes[ch] !== undefined) out += escapes[ch];
      else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
      else out += ch;
    }
    return q + out + q;
  };
  const plainKey = /^[A-Za-z_][A-Za-z_0-9]*$/; // Node quotes any other key, $ included
  const key = (k) => typeof k === 'symbol' ? '[' + k.toString() + ']' : plainKey.test(k) ? k : quote(k);

  // The constructor's name from the prototype chain, read without running getters; null: none.
  const ctorName = (o) => {
    for (let p = o; p !== null; p = getPrototypeOf(p)) {
      const d = getOwnPropertyDescriptor(p, 'constructor');
      if (d !== undefined && typeof d.value === 'function' && typeof d.value.name === 'string' && d.value.name !== '') {
        return d.value.name;
      }
    }
    return null;
  };
  const tag = (o) => Object.prototype.toString.call(o).slice(8, -1);
  const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size').get;
  const setSize = getOwnPropertyDescriptor(Set.prototype, 'size').get;
  const hasEnumerable = (o) => getOwnPropertyNames(o).some((k) => getOwnPropertyDescriptor(o, k)?.enumerable)
      || getOwnPropertySymbols(o).some((k) => getOwnPropertyDescriptor(o, k)?.enumerable);
  // Symbol.toStringTag as a plain data property on the object or its prototypes.
  const ownTag = (o) => {
    for (let p = o; p !== null; p = getPrototypeOf(p)) {
      const d = getOwnPropertyDescriptor(p, Symbol.toStringTag);
      if (d !== undefined) return typeof d.value === 'string' ? d.value : '';
    }
    return '';
  };

  const fnBase = (f) => {
    const name = getOwnPropertyDescriptor(f, 'name')?.value;
    let src = '';
    try { src = Function.prototype.toString.call(f); } catch (e) { /* a host function */ }
    if (/^class[\s{]/.test(src)) {
      const parent = getPrototypeOf(f);
      const ext = parent !== Function.prototype && typeof parent === 'function' && parent.name ? ' extends ' + parent.name : '';
      return '[class ' + (name || '(anonymous)') + ext + ']';
    }
    const t = tag(f);
    const kind = t === 'AsyncFunction' || t === 'GeneratorFunction' || t === 'AsyncGeneratorFunction' ? t : 'Function';
    return '[' + kind + (name ? ': ' + name : ' (anonymous)') + ']';
  };

  const primitive = (v) => {
    switch (typeof v) {
      case 'string': return quote(v);
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return String(v) + 'n';
      case 'boolean': return String(v);
      case 'undefined': return 'undefined';
      case 'symbol': return v.toString();
    }
    return v === null ? 'null' : undefined;
  };

  const inspect = (value, options) => {
    const ctx = {
      depth: options?.depth ?? 2,
      breakLength: options?.breakLength ?? BREAK_LENGTH,
      indentation: 0,
      currentDepth: 0,
      seen: [],
      circular: new Map(),
    };
    return formatValue(ctx, value, 0);
  };

  const formatValue = (ctx, v, depth) => {
    const p = primitive(v);
    if (p !== undefined) return p;
    if (ctx.seen.includes(v)) {
      if (!ctx.circular.has(v)) ctx.circular.set(v, ctx.circular.size + 1);
      return '[Circular *' + ctx.circular.get(v) + ']';
    }
    const text = formatObject(ctx, v, depth);
    return ctx.circular.has(v) ? '<ref *' + ctx.circular.get(v) + '> ' + text : text;
  };

  // The enumerable own properties as `key: value` (for arrays and typed arrays, not the indices).
  const properties = (ctx, o, depth, skipIndices) => {
    const out = [];
    for (const k of [...getOwnPropertyNames(o), ...getOwnPropertySymbols(o)]) {
      if (skipIndices && typeof k === 'string' && indexKey.test(k)) continue;
      const d = getOwnPropertyDescriptor(o, k);
      if (d === undefined || !d.enumerable) continue;
      out.push(key(k) + ': ' + propertyValue(ctx, d, depth));
    }
    return out;
  };
  const propertyValue = (ctx, d, depth) => {
    if (d.get !== undefined || d.set !== undefined) {
      return d.get !== undefined ? (d.set !== undefined ? '[Getter/Setter]' : '[Getter]') : '[Setter]';
    }
    return formatValue(ctx, d.value, depth + 1);
  };

  const formatObject = (ctx, v, depth) => {
    const t = tag(v);
    const name = ctorName(v);
    const stringTag = ownTag(v);
    const isArray = Array.isArray(v);
    const isTyped = ArrayBuffer.isView(v) && !(v instanceof DataView);
    const prefixed = (fallback, size) => {
      let s = name === null ? '[' + fallback + ': null prototype]' : name;
      if (stringTag !== '' && stringTag !== name) s += ' [' + stringTag + ']';
      return s + (size === undefined ? '' : '(' + size + ')') + ' ';
    };
    let base = '';
    let braces;
    let items = null; // formatted entries of an array, a Map, a Set
    let arrayLike = false;
    if (typeof v === 'function') {
      base = fnBase(v);
      if (properties(ctx, v, depth, false).length === 0) return base;
      braces = ['{', '}'];
    } else if (isArray) {
      braces = [(name === 'Array' && stringTag === '' ? '' : prefixed('Array', v.length)) + '[', ']'];
      arrayLike = true;
    } else if (isTyped) {
      braces = [prefixed(t, v.length) + '[', ']'];
      arrayLike = true;
    } else if (t === 'Map') {
      braces = [prefixed('Map', mapSize.call(v)) + '{', '}'];
    } else if (t === 'Set') {
      braces = [prefixed('Set', setSize.call(v)) + '{', '}'];
    } else if (v instanceof Error) {
      const stack = getOwnPropertyDescriptor(v, 'stack')?.value;
      base = typeof stack === 'string' && stack !== '' ? stack : '[' + Error.prototype.toString.call(v) + ']';
      if (ctx.indentation > 0) base = base.split('\n').join('\n' + ' '.repeat(ctx.indentation));
      braces = ['{', '}'];
    } else if (t === 'Date') {
      base = isNaN(v.getTime()) ? 'Invalid Date' : Date.prototype.toISOString.call(v);
      braces = ['{', '}'];
    } else if (t === 'RegExp') {
      base = RegExp.prototype.toString.call(v);
      braces = ['{', '}'];
    } else if (t === 'Number' || t === 'String' || t === 'Boolean' || t === 'Symbol' || t === 'BigInt') {
      base = '[' + t + ': ' + primitive(v.valueOf()) + ']';
      braces = ['{', '}'];
    } else if (t === 'Promise') {
      return 'Promise { <unknown> }'; // the engine does not tell its state
    } else if (t === 'WeakMap' || t === 'WeakSet') {
      return t + ' { <items unknown> }';
    } else if (t === 'ArrayBuffer') {
      const bytes = Array.from(new Uint8Array(v, 0, Math.min(v.byteLength, 50)), (b) => b.toString(16).padStart(2, '0'));
      return 'ArrayBuffer { [Uint8Contents]: <' + bytes.join(' ') + (v.byteLength > 50 ? ' ... ' + (v.byteLength - 50) + ' more bytes' : '')
          + '>, byteLength: ' + v.byteLength + ' }';
    } else if (t === 'Module') {
      braces = ['[Module: null prototype] {', '}'];
    } else {
      const pre = name === 'Object' && stringTag === '' ? '' : name === 'Object' ? 'Object [' + stringTag + '] ' : prefixed('Object');
      braces = [pre + '{', '}'];
    }
    const empty = !hasEnumerable(v) && !(isArray && v.length > 0) && !(isTyped && v.length > 0)
        && !(t === 'Map' && mapSize.call(v) > 0) && !(t === 'Set' && setSize.call(v) > 0)
        && !(v instanceof Error && getOwnPropertyDescriptor(v, 'cause') !== undefined);
    if (empty) return base !== '' ? base : braces[0] + braces[1];
    if (depth > ctx.depth) {
      return '[' + (isArray ? 'Array' : name === null ? 'Object: null prototype' : name) + ']';
    }
    ctx.seen.push(v);
    ctx.currentDepth = depth;
    let output;
    ctx.indentation += 2;
    try {
      if (isArray) {
        output = [];
        let holes = 0;
        let shown = 0;
        for (let i = 0; i < v.length; i++) {
          if (!hasOwn(v, i)) { holes++; continue; }
          if (holes > 0) { output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; }
          if (shown++ === MAX_ITEMS) { output.push('... ' + (v.length - i) + ' more item' + (v.length - i > 1 ? 's' : '')); break; }
          output.push(propertyValue(ctx, getOwnPropertyDescriptor(v, i), depth));
        }
        if (holes > 0) output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
        items = output.length;
        output.push(...properties(ctx, v, depth, true));
      } else if (isTyped) {
        output = Array.from(v.subarray(0, MAX_ITEMS), (x) => primitive(x));
        if (v.length > MAX_ITEMS) output.push('... ' + (v.length - MAX_ITEMS) + ' more item' + (v.length - MAX_ITEMS > 1 ? 's' : ''));
        items = output.length;
      } else if (t === 'Map') {
        output = [];
        for (const [k, x] of Map.prototype.entries.call(v)) output.push(formatValue(ctx, k, depth + 1) + ' => ' + formatValue(ctx, x, depth + 1));
        output.push(...properties(ctx, v, depth, false));
      } else if (t === 'Set') {
        output = [];
        for (const x of Set.prototype.values.call(v)) output.push(formatValue(ctx, x, depth + 1));
        output.push(...properties(ctx, v, depth, false));
      } else if (v instanceof Error) {
        output = properties(ctx, v, depth, false).filter((e) => !e.startsWith('stack: ') && !e.startsWith('message: '));
        const cause = getOwnPropertyDescriptor(v, 'cause');
        if (cause !== undefined && !cause.enumerable) output.push('[cause]: ' + propertyValue(ctx, cause, depth));
      } else {
        output = properties(ctx, v, depth, t === 'String'); // a String object's characters are its value
      }
    } finally {
      ctx.indentation -= 2;
      ctx.seen.pop();
    }
    if (output.length === 0) return base !== '' ? base : braces[0] + braces[1];
    return layout(ctx, output, base, braces, arrayLike && items !== null ? items : 0, depth, v);
  };

  // One line when the entries fit and the value nests at most COMPACT levels below; else one
  // entry per line (a long array of short items: several per line, in columns).
  const layout = (ctx, output, base, braces, items, depth, v) => {
    const count = output.length;
    if (items > 6) output = columns(ctx, output, items, v);
    if (ctx.currentDepth - depth < COMPACT && count === output.length) {
      const start = output.length + ctx.indentation + braces[0].length + base.length + 10;
      let total = output.length + start;
      let fits = total + output.length <= ctx.breakLength;
      for (let i = 0; fits && i < output.length; i++) {
        total += output[i].length;
        fits = total <= ctx.breakLength;
      }
      if (fits && !base.includes('\n')) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
    const nl = '\n' + ' '.repeat(ctx.indentation);
    return (base ? base + ' ' : '') + braces[0] + nl + '  ' + output.join(',' + nl + '  ') + nl + braces[1];
  };

  // Groups the first `items` entries into rows of columns as wide as their widest entry
  // (numbers aligned right, anything else left), the columns about as many as make a square
  // of characters 2.5 times as high as wide, and never past the line's end.
  const columns = (ctx, output, items, v) => {
    let n = items;
    if (output[n - 1].startsWith('... ')) n--; // "... n more items" stays on a line of its own
    const lengths = output.slice(0, n).map((s) => s.length);
    const total = lengths.reduce((a, b) => a + b + 2, 0);
    const widest = Math.max(...lengths) + 2;
    if (!(widest * 3 + ctx.indentation < ctx.breakLength && (total / widest > 5 || widest - 2 <= 6))) return output;
    const bias = Math.sqrt(widest - total / output.length);
    const biased = Math.max(widest - 3 - bias, 1);
    const cols = Math.min(Math.round(Math.sqrt(2.5 * biased * n) / biased), Math.floor((ctx.breakLength - ctx.indentation) / widest),
        COMPACT * 4, 15);
    if (cols <= 1) return output;
    const colWidths = [];
    for (let c = 0; c < cols; c++) {
      let w = 0;
      for (let j = c; j < n; j += cols) w = Math.max(w, lengths[j]);
      colWidths.push(w + 2);
    }
    let numeric = true;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      for (let i = 0; i < n && numeric; i++) numeric = typeof v[i] === 'number' || typeof v[i] === 'bigint';
    }
    const rows = [];
    for (let i = 0; i < n; i += cols) {
      const last = Math.min(i + cols, n) - 1;
      let row = '';
      for (let j = i; j < last; j++) {
        const cell = output[j] + ', ';
        row += numeric ? cell.padStart(colWidths[j - i]) : cell.padEnd(colWidths[j - i]);
      }
      row += numeric ? output[last].padStart(colWidths[last - i] - 2) : output[last];
      rows.push(row);
    }
    return rows.concat(output.slice(n));
  };

  return inspect;
})()
