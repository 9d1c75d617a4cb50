// Braid: how an uncaught error or an unhandled rejection reason is shown on the err stream.
(reason) => {
  'use strict';
  const show = (v) => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'function') return '[Function: ' + (v.name || 'anonymous') + ']';
    try { return JSON.stringify(v) ?? String(v); } catch (e) { return String(v); }
  };
  if (reason instanceof Error) {
    let text = typeof reason.stack === 'string' && reason.stack.length > 0 ? reason.stack : String(reason);
    if (reason.cause !== undefined) {
      text += '\n  [cause]: ' + (reason.cause instanceof Error ? String(reason.cause.stack || reason.cause) : show(reason.cause));
    }
    return text;
  }
  return show(reason) + ' (not an Error: no stack)';
}
