// Node's version of js-examples/hello.js: the peer for start-up figures.
const who = process.argv[2] ?? 'world';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const greet = async (word, ms) => { await sleep(ms); return word; };
const words = await Promise.all([greet('Hello', 30), greet(who, 10), greet('from Braid!', 20)]);
console.log(words.join(', '));
