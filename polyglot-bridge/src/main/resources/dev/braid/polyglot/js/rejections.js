// Braid: collects the promises Graal reports as rejected without a handler (JsRejections).
(Graal, candidate) => {
  'use strict';
  const pending = new Map(); // promise -> [reason, ticket], in rejection order
  let tickets = 0;
  Graal.setUnhandledPromiseRejectionHandler((reason, promise) => {
    const ticket = ++tickets;
    pending.set(promise, [reason, ticket]);
    candidate(ticket);
  });
  return {
    /** Braid awaits p: its rejection has a handler now. */
    observed: (p) => { pending.delete(p); },
    /** The reasons of the candidates reported up to `ticket` and still unhandled, forgotten. */
    take: (ticket) => {
      const reasons = [];
      for (const [p, [reason, t]] of pending) {
        if (t <= ticket) {
          reasons.push(reason);
          pending.delete(p);
        }
      }
      return reasons;
    },
  };
}
