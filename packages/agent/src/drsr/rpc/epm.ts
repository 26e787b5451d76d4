// The endpoint mapper on TCP 135 (DCE 1.1 appendix L, [MS-RPCE] 2.2.1.2): `ept_map` turns an
// interface into the TCP port its server listens on, through a protocol tower.
import { DrsrError, protocolError } from '../errors.js';
import { NdrReader } from '../ndr/reader.js';
import { NdrWriter } from '../ndr/writer.js';
import { RpcConnection, type RpcOptions } from './connection.js';
import { NDR_SYNTAX, type SyntaxId } from './pdu.js';
import { NIL_UUID, uuidToBytes } from './uuid.js';

export const EPM_SYNTAX: SyntaxId = { uuid: 'e1af8308-5d1f-11c9-91a4-08002b14a0fa', major: 3, minor: 0 };
export const EPM_PORT = 135;
const OP_EPT_MAP = 3;
const PROTOCOL_NCACN = 0x0b;
const PROTOCOL_TCP = 0x07;
const PROTOCOL_IP = 0x09;
const PROTOCOL_UUID = 0x0d;
const MAX_FLOORS = 16;

function floor(lhs: Buffer, rhs: Buffer): Buffer {
  const b = Buffer.alloc(4 + lhs.length + rhs.length);
  b.writeUInt16LE(lhs.length, 0);
  lhs.copy(b, 2);
  b.writeUInt16LE(rhs.length, 2 + lhs.length);
  rhs.copy(b, 4 + lhs.length);
  return b;
}

function u16le(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function uuidFloor(s: SyntaxId): Buffer {
  return floor(
    Buffer.concat([Buffer.from([PROTOCOL_UUID]), uuidToBytes(s.uuid), u16le(s.major)]),
    u16le(s.minor),
  );
}

/** The five-floor ncacn_ip_tcp tower for `syntax` (port and address left 0 for the lookup). */
export function encodeTower(syntax: SyntaxId): Buffer {
  const floors = [
    uuidFloor(syntax),
    uuidFloor(NDR_SYNTAX),
    floor(Buffer.from([PROTOCOL_NCACN]), u16le(0)),
    floor(Buffer.from([PROTOCOL_TCP]), Buffer.alloc(2)),
    floor(Buffer.from([PROTOCOL_IP]), Buffer.alloc(4)),
  ];
  return Buffer.concat([u16le(floors.length), ...floors]);
}

/** The TCP port in a tower (packed, not NDR-aligned), or undefined if it has no TCP floor. */
export function towerPort(tower: Buffer): number | undefined {
  let off = 0;
  const u16 = (): number => {
    if (off + 2 > tower.length) throw protocolError('endpoint mapper tower is truncated');
    const v = tower.readUInt16LE(off);
    off += 2;
    return v;
  };
  const take = (n: number): Buffer => {
    if (off + n > tower.length) throw protocolError('endpoint mapper tower floor is truncated');
    const v = tower.subarray(off, off + n);
    off += n;
    return v;
  };
  const floors = u16();
  if (floors > MAX_FLOORS) throw protocolError('endpoint mapper tower has too many floors');
  let port: number | undefined;
  for (let n = 0; n < floors; n++) {
    const lhs = take(u16());
    const rhs = take(u16());
    if (lhs[0] === PROTOCOL_TCP && rhs.length === 2) port = rhs.readUInt16BE(0);
  }
  return port;
}

/** ept_map request stub, laid out as Samba's client lays it (a non-null nil object UUID). */
export function encodeEptMapRequest(syntax: SyntaxId): Buffer {
  const w = new NdrWriter();
  const tower = encodeTower(syntax);
  w.param(() => w.pointer(NIL_UUID, (u) => w.uuid(u)));
  w.param(() =>
    w.pointer(tower, (t) => {
      w.u32(t.length).u32(t.length).bytes(t);
    }),
  );
  w.align(4).bytes(Buffer.alloc(20)); // entry_handle: a null context handle
  w.u32(1); // max_towers
  return w.toBuffer();
}

/** The towers an ept_map response returns, and its status. */
export function decodeEptMapResponse(stub: Buffer): { towers: Buffer[]; status: number } {
  const r = new NdrReader(stub);
  r.contextHandle();
  const numTowers = r.u32();
  const towers: Buffer[] = [];
  r.param(() => {
    const max = r.count(4, 'tower array');
    const offset = r.u32();
    const actual = r.u32();
    if (offset !== 0 || actual > max || actual !== numTowers)
      throw protocolError('ept_map tower array bounds');
    for (let n = 0; n < actual; n++) {
      r.pointer(() => {
        const size = r.count(1, 'tower');
        const length = r.u32();
        if (length !== size) throw protocolError('ept_map tower length mismatch');
        towers.push(r.bytes(length));
      });
    }
  });
  const status = r.u32();
  return { towers, status };
}

/** Asks the endpoint mapper of `host` which TCP port serves `syntax`. */
export async function resolvePort(host: string, syntax: SyntaxId, opts: RpcOptions = {}): Promise<number> {
  const conn = await RpcConnection.connect(host, EPM_PORT, opts);
  try {
    await conn.bind(EPM_SYNTAX);
    const reply = decodeEptMapResponse(await conn.call(OP_EPT_MAP, encodeEptMapRequest(syntax)));
    const port = reply.towers.map(towerPort).find((p) => p !== undefined && p > 0);
    if (reply.status !== 0 || port === undefined) {
      throw new DrsrError(
        'drsr.unreachable',
        `the endpoint mapper at ${host} knows no TCP endpoint for ${syntax.uuid} (status 0x${reply.status.toString(16)}); is this a domain controller?`,
        { status: reply.status },
      );
    }
    return port;
  } finally {
    conn.close();
  }
}
