// `braid.select` with a timeout: the first branch to finish wins, and the loser is
// cancelled for real: its code never runs again, so 'slow: done' is never printed.
// Run it with:  ./braid run js-examples/select-timeout.js
const slow = braid.task(async () => {
  console.log('slow: started');
  await braid.sleep(10_000);
  console.log('slow: done'); // never runs: the task lost the select and was cancelled
  return 'slow result';
});

const winner = await braid.select({ result: slow, timeout: braid.sleep(100) });
console.log(`select settled with '${winner.key}'`);

// A timeout of its own: braid.timeout rejects with a TimeoutError and cancels what it waited for.
try {
  await braid.timeout(50, braid.task(async () => { await braid.sleep(10_000); console.log('never printed'); }));
} catch (e) {
  console.log(`${e.name}: ${e.message}`);
}
