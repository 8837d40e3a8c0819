// A phone's link, emulated between the browser and the server: every byte
// either way waits for the link to be free (1.6 Mbps down, 750 kbps up,
// one link shared by all connections, as on a phone's one radio) and then
// for half the round trip (75 ms), and every new connection waits one round
// trip, its TCP handshake. Bytes are counted on that link, so they are what
// the phone sends and receives, headers included, the service worker's own
// requests included. Not emulated: TCP slow start and packet loss.
//
// Used by phone-budget.mjs (`bench phone`) and offline-sync.spec.ts
// (`bench sync`).

import net from 'node:net';

export const SLOW_4G = {
  roundTripMs: 150,
  downBitsPerSecond: 1.6e6,
  upBitsPerSecond: 750e3,
  cpuSlowdown: 4,
};
const SEGMENT_BYTES = 1460;

// One direction of the phone's link.
function direction(bitsPerSecond) {
  let busyUntil = 0;
  return {
    bytes: 0,
    lastActivity: 0,
    // When a segment sent now arrives at the far end.
    arrival(byteCount) {
      const now = performance.now();
      const start = Math.max(now, busyUntil);
      busyUntil = start + (byteCount * 8 * 1000) / bitsPerSecond;
      this.bytes += byteCount;
      this.lastActivity = now;
      return busyUntil + SLOW_4G.roundTripMs / 2;
    },
  };
}

// Moves bytes from one socket to the other in order, each segment at its
// arrival time on the link.
function carry(from, to, way, openedAt) {
  const queue = [];
  let timer = null;
  const pump = () => {
    timer = null;
    const now = performance.now();
    while (queue.length && queue[0].at <= now) {
      const { data } = queue.shift();
      if (!to.destroyed) to.write(data);
    }
    if (queue.length) timer = setTimeout(pump, queue[0].at - now);
    else if (from.readableEnded && !to.destroyed) to.end();
  };
  from.on('data', (chunk) => {
    for (let offset = 0; offset < chunk.length; offset += SEGMENT_BYTES) {
      const data = chunk.subarray(offset, offset + SEGMENT_BYTES);
      const at = Math.max(way.arrival(data.length), openedAt + SLOW_4G.roundTripMs);
      queue.push({ data, at });
    }
    if (!timer) timer = setTimeout(pump, Math.max(0, queue[0].at - performance.now()));
  });
  from.on('end', () => {
    if (!queue.length && !timer && !to.destroyed) to.end();
  });
  from.on('error', () => to.destroy());
}

// Opens the emulated link to `serverBase`; answers the address the browser
// uses, both directions' counters, and `close`.
export async function openLink(serverBase) {
  const down = direction(SLOW_4G.downBitsPerSecond);
  const up = direction(SLOW_4G.upBitsPerSecond);
  const target = new URL(serverBase);
  const proxy = net.createServer((phoneSide) => {
    const openedAt = performance.now();
    const serverSide = net.connect(Number(target.port), target.hostname);
    carry(phoneSide, serverSide, up, openedAt);
    carry(serverSide, phoneSide, down, openedAt);
    phoneSide.on('close', () => serverSide.destroy());
    serverSide.on('close', () => phoneSide.destroy());
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${proxy.address().port}`,
    down,
    up,
    close: () => proxy.close(),
  };
}
