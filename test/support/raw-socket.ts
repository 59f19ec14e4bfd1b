import WebSocket from 'ws';

/**
 * A raw engine.io v4 / socket.io v5 connection, to behave as no well-behaved client would (hostile
 * frames, a reader that stops reading). Resolves once connected, with every text frame received.
 */
export function rawSocket(url: string, token?: string): Promise<{ ws: WebSocket; frames: string[]; sid: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => {
      const text = data.toString();
      frames.push(text);
      if (text.startsWith('0{')) ws.send(token ? `40${JSON.stringify({ token })}` : '40'); // engine.io open → socket.io connect
      if (text.startsWith('40{')) resolve({ ws, frames, sid: (JSON.parse(text.slice(2)) as { sid: string }).sid });
    });
    ws.on('error', reject);
  });
}
