// DRS_MSG_GETCHGREPLY_V6 ([MS-DRSR] 4.1.10.2.11) and what it carries: REPLENTINFLIST, ENTINF,
// ATTRBLOCK/ATTR/ATTRVAL, the prefix table, the up-to-date vector, linked values.
import { protocolError } from '../errors.js';
import { NdrReader } from '../ndr/reader.js';
import { type DsName, readDsName } from './dsname.js';
import type { PrefixEntry } from './prefix-table.js';
import { readUpToDateV2, readUsnVector, type UpToDateCursor, type UsnVector } from './usn.js';

export interface ReplicatedAttribute {
  attid: number;
  values: Buffer[];
}

export interface ReplicaObject {
  name: DsName;
  flags: number;
  attributes: ReplicatedAttribute[];
  isNcPrefix: boolean;
  parentGuid: string | undefined;
}

export interface LinkedValue {
  object: DsName | undefined;
  attid: number;
  value: Buffer | undefined;
  isPresent: boolean;
}

export interface GetNcChangesReply {
  sourceDsa: string;
  sourceInvocationId: string;
  nc: DsName | undefined;
  from: UsnVector;
  to: UsnVector;
  /** Present on the last reply of a cycle: the source's cursors to save with the watermark. */
  upToDate: UpToDateCursor[] | undefined;
  prefixTable: PrefixEntry[];
  extendedRet: number;
  objects: ReplicaObject[];
  moreData: boolean;
  linkedValues: LinkedValue[];
  drsError: number;
  /** The function's return value (Win32 error; 0 on success). */
  status: number;
}

function readBytesPointee(r: NdrReader, expected: number): Buffer {
  const n = r.count(1, 'byte array');
  if (n !== expected) throw protocolError('value length disagrees with its array');
  return r.bytes(n);
}

function readAttrVals(r: NdrReader, into: Buffer[]): void {
  const n = r.count(8, 'ATTRVAL array');
  for (let k = 0; k < n; k++) {
    const len = r.u32();
    const slot = into.length;
    into.push(Buffer.alloc(0));
    r.pointer(() => {
      into[slot] = readBytesPointee(r, len);
    });
  }
}

function readAttrBlock(r: NdrReader, into: ReplicatedAttribute[]): void {
  r.u32(); // attrCount (the array carries its own)
  r.pointer(() => {
    const n = r.count(12, 'ATTR array');
    for (let k = 0; k < n; k++) {
      const attr: ReplicatedAttribute = { attid: r.u32(), values: [] };
      r.u32(); // valCount
      r.pointer(() => readAttrVals(r, attr.values));
      into.push(attr);
    }
  });
}

const NO_NAME: DsName = { dn: '', guid: '00000000-0000-0000-0000-000000000000', sid: Buffer.alloc(0) };

/** One REPLENTINFLIST pointee; queues the next entry, which the deferral order reads first. */
function readEntry(r: NdrReader, out: ReplicaObject[]): void {
  const obj: ReplicaObject = {
    name: NO_NAME,
    flags: 0,
    attributes: [],
    isNcPrefix: false,
    parentGuid: undefined,
  };
  out.push(obj);
  r.pointer(() => readEntry(r, out)); // pNextEntInf
  r.pointer(() => {
    obj.name = readDsName(r);
  });
  obj.flags = r.u32();
  readAttrBlock(r, obj.attributes);
  obj.isNcPrefix = r.u32() !== 0;
  r.pointer(() => {
    obj.parentGuid = r.uuid();
  });
  r.pointer(() => {
    // PROPERTY_META_DATA_EXT_VECTOR: read past (40 bytes an entry).
    const n = r.count(40, 'metadata vector');
    r.align(8);
    r.u32();
    for (let k = 0; k < n; k++) {
      r.align(8);
      r.u32();
      r.u64();
      r.uuid();
      r.u64();
    }
  });
}

function readPrefixTable(r: NdrReader, into: PrefixEntry[]): void {
  r.u32(); // PrefixCount
  r.pointer(() => {
    const n = r.count(8, 'prefix table');
    for (let k = 0; k < n; k++) {
      const entry: PrefixEntry = { index: r.u32(), prefix: Buffer.alloc(0) };
      const len = r.u32();
      r.pointer(() => {
        entry.prefix = readBytesPointee(r, len);
      });
      into.push(entry);
    }
  });
}

function readLinkedValues(r: NdrReader, into: LinkedValue[]): void {
  const n = r.count(48, 'linked values');
  for (let k = 0; k < n; k++) {
    r.align(8);
    const v: LinkedValue = { object: undefined, attid: 0, value: undefined, isPresent: false };
    r.pointer(() => {
      v.object = readDsName(r);
    });
    v.attid = r.u32();
    const len = r.u32();
    r.pointer(() => {
      v.value = readBytesPointee(r, len);
    });
    v.isPresent = r.u32() !== 0;
    r.u64(); // timeCreated
    r.u32(); // dwVersion
    r.u64(); // timeChanged
    r.uuid(); // uuidDsaOriginating
    r.u64(); // usnOriginating
    into.push(v);
  }
}

/**
 * Decodes an IDL_DRSGetNCChanges response stub; throws a protocol error on anything malformed.
 * A reply of another version with a non-zero return value comes back empty with that status.
 */
export function decodeGetNcChangesResponse(stub: Buffer): GetNcChangesReply {
  const r = new NdrReader(stub);
  const version = r.u32();
  const tag = r.u32();
  if (version !== 6 || tag !== 6) {
    // A DC that cannot build V6 fails the call; its return value is the stub's last four bytes.
    const status = stub.length >= 4 ? stub.readUInt32LE(stub.length - 4) : 0;
    if (status !== 0) return emptyReply(status);
    throw protocolError(`GetNCChanges reply version ${version}, this client reads only 6`);
  }
  const reply = emptyReply(0);
  r.param(() => {
    r.align(8);
    reply.sourceDsa = r.uuid();
    reply.sourceInvocationId = r.uuid();
    r.pointer(() => {
      reply.nc = readDsName(r);
    });
    reply.from = readUsnVector(r);
    reply.to = readUsnVector(r);
    r.pointer(() => {
      reply.upToDate = readUpToDateV2(r);
    });
    readPrefixTable(r, reply.prefixTable);
    reply.extendedRet = r.u32();
    r.u32(); // cNumObjects
    r.u32(); // cNumBytes
    r.pointer(() => readEntry(r, reply.objects));
    reply.moreData = r.u32() !== 0;
    r.u32(); // cNumNcSizeObjects
    r.u32(); // cNumNcSizeValues
    r.u32(); // cNumValues
    r.pointer(() => readLinkedValues(r, reply.linkedValues));
    reply.drsError = r.u32();
  });
  reply.status = r.u32();
  return reply;
}

function emptyReply(status: number): GetNcChangesReply {
  const zero = { highObjUpdate: 0n, reserved: 0n, highPropUpdate: 0n };
  return {
    sourceDsa: '',
    sourceInvocationId: '',
    nc: undefined,
    from: zero,
    to: zero,
    upToDate: undefined,
    prefixTable: [],
    extendedRet: 0,
    objects: [],
    moreData: false,
    linkedValues: [],
    drsError: 0,
    status,
  };
}
