// Braid: what an interactive front end asks of a JavaScript session: a value shown on one
// line the way Node's util.inspect shows it, and completion candidates. Neither calls a
// getter or a toString of the guest's (accessors show as [Getter]); only a Proxy's traps run.
(() => {
  'use strict';
  const { getPrototypeOf, getOwnPropertyNames, getOwnPropertyDescriptor, getOwnPropertySymbols } = Object;
  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const ident = /^[A-Za-z_$][\w$]*$/;

  const quote = (s) => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r').replace(/\t/g, '\\t') + "'";
  const key = (k) => typeof k === 'symbol' ? '[' + k.toString() + ']' : ident.test(k) ? k : quote(k);

  // The constructor's name from the prototype chain, read without running getters.
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

  const fnText = (f) => {
    const name = getOwnPropertyDescriptor(f, 'name')?.value;
    let src = '';
    try { src = Function.prototype.toString.call(f); } catch (e) { /* a host function */ }
    if (/^class[\s{]/.test(src)) return '[class ' + (name || '(anonymous)') + ']';
    const kind = tag(f) === 'AsyncFunction' ? 'AsyncFunction' : tag(f) === 'GeneratorFunction' ? 'GeneratorFunction'
        : tag(f) === 'AsyncGeneratorFunction' ? 'AsyncGeneratorFunction' : 'Function';
    return '[' + kind + (name ? ': ' + name : ' (anonymous)') + ']';
  };

  const inspect = (value, depthLimit = 2) => {
    const seen = [];
    const circular = new Map();
    const show = (v, depth) => {
      switch (typeof v) {
        case 'string': return quote(v);
        case 'number': return Object.is(v, -0) ? '-0' : String(v);
        case 'bigint': return String(v) + 'n';
        case 'boolean': return String(v);
        case 'undefined': return 'undefined';
        case 'symbol': return v.toString();
        case 'function': {
          const props = ownEntries(v, depth, true);
          return props.length === 0 ? fnText(v) : fnText(v) + ' { ' + props.join(', ') + ' }';
        }
      }
      if (v === null) return 'null';
      if (seen.includes(v)) {
        if (!circular.has(v)) circular.set(v, circular.size + 1);
        return '[Circular *' + circular.get(v) + ']';
      }
      const t = tag(v);
      if (t === 'Date') return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
      if (t === 'RegExp') return RegExp.prototype.toString.call(v);
      if (v instanceof Error) {
        const stack = getOwnPropertyDescriptor(v, 'stack')?.value;
        return typeof stack === 'string' && stack !== '' ? stack : '[' + Error.prototype.toString.call(v) + ']';
      }
      if (t === 'Promise') return 'Promise { <unknown> }';
      if (t === 'WeakMap' || t === 'WeakSet') return t + ' { <items unknown> }';
      const name = ctorName(v);
      if (depth > depthLimit) {
        return Array.isArray(v) ? '[Array]' : '[' + (name || 'Object') + ']';
      }
      seen.push(v);
      let inner;
      let prefix = '';
      try {
        if (Array.isArray(v)) {
          inner = [];
          let holes = 0;
          for (let i = 0; i < v.length; i++) {
            if (!hasOwn(v, i)) { holes++; continue; }
            if (holes > 0) { inner.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; }
            inner.push(entry(v, i, depth));
            if (inner.length >= 100) { inner.push('... ' + (v.length - i - 1) + ' more items'); break; }
          }
          if (holes > 0) inner.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
          inner.push(...ownEntries(v, depth, false, true));
          if (name !== 'Array') prefix = (name || '[Array: null prototype]') + '(' + v.length + ') ';
          return prefix + wrap('[', inner, ']');
        }
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
          inner = Array.from(v.subarray(0, 100), (x) => typeof x === 'bigint' ? x + 'n' : String(x));
          if (v.length > 100) inner.push('... ' + (v.length - 100) + ' more items');
          return (name || t) + '(' + v.length + ') ' + wrap('[', inner, ']');
        }
        if (t === 'Map') {
          inner = [];
          for (const [k, x] of Map.prototype.entries.call(v)) inner.push(show(k, depth + 1) + ' => ' + show(x, depth + 1));
          return (name || 'Map') + '(' + inner.length + ') ' + wrap('{', inner, '}');
        }
        if (t === 'Set') {
          inner = [];
          for (const x of Set.prototype.values.call(v)) inner.push(show(x, depth + 1));
          return (name || 'Set') + '(' + inner.length + ') ' + wrap('{', inner, '}');
        }
        inner = ownEntries(v, depth, false);
        if (name === null) prefix = '[Object: null prototype] ';
        else if (name !== 'Object') prefix = name + ' ';
        if (t === 'Arguments') prefix = '[Arguments] ';
        if (t === 'Module') prefix = '[Module: null prototype] ';
        return prefix + (inner.length === 0 ? '{}' : wrap('{', inner, '}'));
      } finally {
        seen.pop();
      }
    };
    const entry = (o, k, depth) => {
      const d = getOwnPropertyDescriptor(o, k);
      if (d === undefined) return '';
      if (d.get !== undefined || d.set !== undefined) {
        return d.get !== undefined ? (d.set !== undefined ? '[Getter/Setter]' : '[Getter]') : '[Setter]';
      }
      return show(d.value, depth + 1);
    };
    // key: value pairs of the enumerable own properties (for arrays, the non-index ones only).
    const ownEntries = (o, depth, functionProps, skipIndices) => {
      const out = [];
      for (const k of [...getOwnPropertyNames(o), ...getOwnPropertySymbols(o)]) {
        const d = getOwnPropertyDescriptor(o, k);
        if (d === undefined || !d.enumerable) continue;
        if (skipIndices && typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)) continue;
        out.push(key(k) + ': ' + entry(o, k, depth));
      }
      return out;
    };
    const wrap = (open, items, close) => items.length === 0 ? open + close : open + ' ' + items.join(', ') + ' ' + close;
    let text = show(value, 0);
    if (circular.size > 0) text = '<ref *1> ' + text;
    return text;
  };

  const keywords = ['await', 'async', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
    'delete', 'do', 'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
    'instanceof', 'let', 'new', 'null', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try',
    'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield'];

  // Names visible on o and its prototypes, without reading any of them.
  const namesOf = (o) => {
    const names = new Set();
    for (let p = Object(o); p !== null; p = getPrototypeOf(p)) {
      for (const n of getOwnPropertyNames(p)) names.add(n);
    }
    return names;
  };

  // Candidates for `path.prefix` (path: identifiers read as data properties only; no
  // getter runs: a path through an accessor gives no candidates).
  const complete = (path, prefix, globals) => {
    let names;
    if (path.length === 0) {
      names = namesOf(globalThis);
      for (const g of globals) names.add(g);
      for (const k of keywords) names.add(k);
    } else {
      let o = undefined;
      const d0 = getOwnPropertyDescriptor(globalThis, path[0]);
      if (d0 !== undefined) {
        if (!('value' in d0)) return [];
        o = d0.value;
      } else {
        try { o = (0, eval)('typeof ' + path[0] + " === 'undefined' ? undefined : " + path[0]); } catch (e) { return []; }
      }
      for (let i = 1; i < path.length; i++) {
        if (o === null || o === undefined) return [];
        let d;
        for (let p = Object(o); p !== null && d === undefined; p = getPrototypeOf(p)) d = getOwnPropertyDescriptor(p, path[i]);
        if (d === undefined || !('value' in d)) return [];
        o = d.value;
      }
      if (o === null || o === undefined) return [];
      names = namesOf(o);
    }
    return [...names].filter((n) => n.startsWith(prefix) && ident.test(n) && !n.startsWith('__')).sort();
  };

  return { inspect, complete };
})()
