import { createSocket, type RemoteInfo } from 'node:dgram';

/** A TXT-only DNS server on loopback UDP, for tests of domain verification. */
export interface TinyDnsServer {
  /** `127.0.0.1:<port>`, ready for `createTxtLookup([server.address])`. */
  address: string;
  /** TXT records per lower-cased name; change them at will between lookups. */
  records: Map<string, string[]>;
  close(): Promise<void>;
}

function readName(msg: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = start;
  for (let len = msg[i] ?? 0; len > 0; len = msg[i] ?? 0) {
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

function txtRdata(text: string): Buffer {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat(chunks);
}

/** Answers one query (RFC 1035 §4.1): TXT records for known names, NXDOMAIN for others. */
function answer(query: Buffer, records: Map<string, string[]>): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const texts = records.get(name);
  const answers = qtype === 16 && texts ? texts : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8180 | (texts ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const rrs = answers.map((text) => {
    const rdata = txtRdata(text);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(16, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...rrs]);
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startTinyDnsServer(): Promise<TinyDnsServer> {
  const socket = createSocket('udp4');
  const records = new Map<string, string[]>();
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    try {
      socket.send(answer(msg, records), from.port, from.address);
    } catch {
      // A malformed query gets no answer, as from a real server under attack.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    records,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
