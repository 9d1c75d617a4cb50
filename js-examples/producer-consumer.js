// A producer and two consumers over a bounded channel: the producer waits whenever the
// channel is full, the consumers share the work, and `for await` ends once the channel is
// closed and drained.
// Run it with:  ./braid run js-examples/producer-consumer.js
const jobs = braid.channel(2); // room for two jobs: the producer waits for the consumers

const producer = braid.spawn(async () => {
  for (let n = 1; n <= 8; n++) {
    await jobs.send(n);
  }
  jobs.close(); // consumers drain what is left, then their loops end
});

const consume = async (name) => {
  let sum = 0;
  let count = 0;
  for await (const n of jobs) {
    sum += n * n;
    count++;
    await braid.yieldNow(); // let the other consumer take a turn
  }
  return { name, count, sum };
};

const results = await braid.join(braid.spawn(consume, 'a'), braid.spawn(consume, 'b'), producer);
const [a, b] = results;
console.log(`consumed ${a.count + b.count} jobs, sum of squares ${a.sum + b.sum}`);
console.log(`both consumers worked: ${a.count > 0 && b.count > 0}`);
