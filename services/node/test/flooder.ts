// A hostile peer in its own process: links to a supernode and floods it with
// queries (two thirds unique IDs, one third one ID over and over) until told
// to stop or until its time is up. Own process, so the test that measures
// honest latency is not slowed by the attacker's own work.
import { ID, RawLink, query } from './raw-peer.js';

const [target, perTickArg, tickMsArg, maxMsArg] = process.argv.slice(2);
const perTick = Number(perTickArg);
const tickMs = Number(tickMsArg);
const maxMs = Number(maxMsArg);

const link = new RawLink(target, 'flooder');
await link.ready();
let n = 1_000_000;
let sent = 0;
const timer = setInterval(() => {
  for (let i = 0; i < perTick; i++) {
    link.send(query(i % 3 === 0 ? ID(42) : ID(n++), 'zzflood nothing', 3));
    sent++;
  }
}, tickMs);
const stop = () => {
  clearInterval(timer);
  link.close();
  process.send?.({ sent }, () => process.exit(0));
};
setTimeout(stop, maxMs).unref();
process.on('message', stop);
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
