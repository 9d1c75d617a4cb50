// Braid: what an interactive front end asks of a JavaScript session besides showing values
// (inspect.js): completion candidates. No getter of the guest's runs.
(() => {
  'use strict';
  const { getPrototypeOf, getOwnPropertyNames, getOwnPropertyDescriptor } = Object;
  const ident = /^[A-Za-z_$][\w$]*$/;

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

  return { complete };
})()
