// A long automation-style job in plain JavaScript (it runs unchanged on Node and on Braid):
// rounds of building records, serialising them to JSON (with a checksum computed in
// JavaScript) and back, matching and templating strings, grouping and sorting. Work comes in chunks with a turn of the event loop between
// them (setImmediate), as a job awaiting I/O between steps has.
// Usage: braid run job.mjs [ROUNDS]   |   node job.mjs [ROUNDS]
const rounds = Number(process.argv[2] ?? 40);
const CHUNK = 2_000;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function records(seed, from, n) {
  const out = [];
  let x = seed + from;
  for (let i = from; i < from + n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push({ id: i, name: `user-${x % 9973}`, team: `team-${x % 17}`, score: x % 1000, tags: [`t${x % 7}`, `t${x % 11}`] });
  }
  return out;
}

// A checksum computed in JavaScript itself, character by character (FNV-1a, 32 bits).
function fnv1a(text, hash) {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash;
}

let digest = 2166136261;

async function round(r) {
  const byTeam = new Map();
  for (let from = 0; from < 20_000; from += CHUNK) {
    const text = JSON.stringify(records(r + 1, from, CHUNK));
    digest = fnv1a(text, digest);
    const back = JSON.parse(text);
    for (const row of back) {
      if (!/^user-\d*7$/.test(row.name)) continue;
      const list = byTeam.get(row.team) ?? [];
      list.push(row);
      byTeam.set(row.team, list);
    }
    await turn();
  }
  let length = 0;
  for (const [team, list] of byTeam) {
    list.sort((a, b) => b.score - a.score || a.id - b.id);
    length += list.slice(0, 50).map((row) => `${team}\t${row.name}\t${row.score}\t${row.tags.join(',')}`).join('\n').length;
  }
  await turn();
  return length;
}

const t0 = Date.now();
let total = 0;
for (let r = 0; r < rounds; r++) {
  total += await round(r);
}
console.log(`${rounds} rounds, checksum ${total} ${digest.toString(16)}, ${Date.now() - t0} ms in the job`);
