/**
 * Micro-measure behind change 34 (bench/README.md): the CPU of writing one room frame to one member,
 * with the frame as ws builds it (header and payload: cork, two writes, uncork, one writev) and as one
 * buffer (one plain write). The members' reading ends live in a child process, so this process's CPU
 * is the writing side only, as the server's would be.
 *
 *   node --import tsx bench/micro/frame-writes.ts [rounds=1000] [members=200]
 *
 * Prints user and system µs per member-frame for each form, in alternating passes (the machine is
 * shared: compare within a line, not across lines).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import * as wsModule from 'ws';

const { Sender } = wsModule as unknown as {
  Sender: (new (socket: net.Socket) => { sendFrame(list: Buffer[]): void }) & { frame(data: Buffer, options: object): Buffer[] };
};
const rounds = Number(process.argv[2] ?? 1000);
const members = Number(process.argv[3] ?? 200);
const TEXT_FRAME = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true };

const sink = spawn(process.execPath, ['-e', "const s=require('net').createServer(c=>c.resume()).listen(0,'127.0.0.1',()=>console.log(s.address().port))"]);
const port = await new Promise<number>((resolve) => sink.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
const sockets = await Promise.all(
  Array.from({ length: members }, () => new Promise<net.Socket>((resolve) => { const c = net.connect(port, '127.0.0.1', () => resolve(c)); })),
);
const senders = sockets.map((s) => new Sender(s));
// A room frame carrying one ordinary comment, as protocol 4 sends it.
const comment = { type: 'say', id: '123', roomId: 'r1', seq: 42, userId: 'u-abc', userName: 'Alice', userTag: 'ab12', content: 'hello there, a comment of ordinary length', commentTime: new Date().toISOString(), clientMsgId: 'abcdefgh1234', replyTo: null, mentions: [] };
const payload = Buffer.from(`42["room",${JSON.stringify({ roomId: 'r1', events: [comment] })}]`);

async function pass(oneBuffer: boolean): Promise<string> {
  const before = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    const parts = Sender.frame(payload, TEXT_FRAME);
    const frame = oneBuffer ? [Buffer.concat(parts)] : parts;
    for (const s of senders) s.sendFrame(frame);
    // Let the sockets drain now and then, as the event loop would between frames.
    if (r % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const used = process.cpuUsage(before);
  const per = (us: number) => (us / (rounds * members)).toFixed(2);
  return `${per(used.user)} user + ${per(used.system)} sys µs`;
}

for (let i = 0; i < 10; i++) console.log(`two parts: ${await pass(false)}   one buffer: ${await pass(true)}`);
sink.kill();
process.exit(0);
