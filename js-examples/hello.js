// Hello from Braid: three tasks on Braid's scheduler, each sleeping a different time, joined.
// An argument, if given, replaces "world" (./braid run js-examples/hello.js Ada).
// Run it with:  ./braid run js-examples/hello.js
const who = braid.args[0] ?? 'world';
const greet = async (word, ms) => { await braid.sleep(ms); return word; };
const words = await braid.join(
  braid.spawn(greet, 'Hello', 30),
  braid.spawn(greet, who, 10),
  braid.spawn(greet, 'from Braid!', 20),
);
console.log(words.join(', '));
