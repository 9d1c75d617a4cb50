// A task that blocks its thread, and the same work done cooperatively.
//
// `crunch` computes without ever awaiting, as a synchronous library call would. After 200 ms in
// one poll Braid reports the stall on standard error: which task ('blocker'), on which
// strand, and the script's own stack, each frame at its line (`--verbose` adds the
// interpreter's Java frames). A
// session runs its tasks one at a time, as Node's event loop does, so the ticker waits for
// the block to end; the runtime's other workers stay free for everything else it runs.
// The cure is to yield between pieces of work: then the ticker keeps its rhythm.
// Run it with:  ./braid run js-examples/blocking.js
const ticks = [];
let ticking = true;
const ticker = braid.spawn(async function ticker() {
  while (ticking) {
    await braid.sleep(100);
    ticks.push(Date.now());
  }
});

function crunch(ms) {
  const end = Date.now() + ms;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
}

const ticksBetween = (from, to) => ticks.filter((t) => t > from && t < to).length;

await braid.sleep(250);
let from = Date.now();
await braid.spawn(async function blocker() {
  crunch(2500); // never awaits: the stall report points at this task
});
console.log(`blocking: the ticker ticked ${ticksBetween(from, from + 2500)} times during the 2500 ms block`);

from = Date.now();
await braid.spawn(async function cooperative() {
  for (let i = 0; i < 25; i++) {
    crunch(20);
    await braid.yieldNow(); // lets the other tasks of the session run
  }
});
console.log(`cooperative: the ticker ticked during the work: ${ticksBetween(from, Date.now()) > 0}`);

ticking = false;
await ticker;
