/**
 * Slack's side of Socket Mode on loopback: a minimal WebSocket server (RFC 6455, written here on
 * node:http so the tests depend on nothing Bolt does not already bring). apps.connections.open on
 * the fake Web API returns its `ws://127.0.0.1:…` URL; on connection it sends Slack's `hello`,
 * then whatever envelopes a test sends, and records the client's messages (envelope acks).
 * It answers pings with pongs and close frames with a close frame. No extensions, no
 * fragmentation: enough for the Socket Mode client, which sends small text frames.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface SocketEnvelope {
  envelope_id: string;
  type: 'slash_commands' | 'events_api' | 'interactive' | 'hello' | 'disconnect';
  payload?: Record<string, unknown>;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

class Connection {
  #buffer = Buffer.alloc(0);
  closed = false;

  constructor(
    readonly socket: Socket,
    readonly onText: (text: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {
      this.closed = true;
    });
  }

  sendText(text: string): void {
    if (!this.closed) this.socket.write(frame(0x1, Buffer.from(text, 'utf8')));
  }

  close(): void {
    if (this.closed) return;
    this.socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
    this.socket.end();
    this.closed = true;
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#buffer.length < 2) return;
      const b0 = this.#buffer[0] as number;
      const b1 = this.#buffer[1] as number;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.#buffer.length < 4) return;
        len = this.#buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.#buffer.length < 10) return;
        len = Number(this.#buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (this.#buffer.length < offset + maskLen + len) return;
      const mask = masked ? this.#buffer.subarray(offset, offset + 4) : undefined;
      const payload = Buffer.from(this.#buffer.subarray(offset + maskLen, offset + maskLen + len));
      if (mask) for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
      this.#buffer = this.#buffer.subarray(offset + maskLen + len);
      if (opcode === 0x1) this.onText(payload.toString('utf8'));
      else if (opcode === 0x9) this.socket.write(frame(0xa, payload));
      else if (opcode === 0x8) {
        if (!this.closed) this.socket.end(frame(0x8, payload.subarray(0, 2)));
        this.closed = true;
        return;
      }
    }
  }
}

export class FakeSocketMode {
  /** Messages the client sent (acks: `{envelope_id, payload?}`), parsed. */
  readonly received: Array<Record<string, unknown>> = [];
  readonly connections: Connection[] = [];
  #server: Server;
  #url = '';

  constructor() {
    this.#server = createServer((_req, res) => {
      res.writeHead(426);
      res.end();
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      const key = req.headers['sec-websocket-key'];
      if (typeof key !== 'string' || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const connection = new Connection(socket, (text) => {
        try {
          this.received.push(JSON.parse(text) as Record<string, unknown>);
        } catch {
          this.received.push({ unparsed: text });
        }
      });
      this.connections.push(connection);
      connection.sendText(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
    });
  }

  /** `ws://127.0.0.1:{port}/link` — what apps.connections.open returns. */
  get url(): string {
    return this.#url;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `ws://127.0.0.1:${port}/link`;
    return this;
  }

  /** Sends an envelope on the newest open connection. */
  send(envelope: SocketEnvelope): void {
    const open = [...this.connections].reverse().find((c) => !c.closed);
    if (!open) throw new Error('fake Socket Mode: no open connection');
    open.sendText(JSON.stringify(envelope));
  }

  acksFor(envelopeId: string): Array<Record<string, unknown>> {
    return this.received.filter((m) => m.envelope_id === envelopeId);
  }

  close(): Promise<void> {
    for (const c of this.connections) {
      c.close();
      c.socket.destroy();
    }
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
