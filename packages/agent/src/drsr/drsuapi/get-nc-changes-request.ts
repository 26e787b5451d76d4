// DRS_MSG_GETCHGREQ_V8 ([MS-DRSR] 4.1.10.2.5).
import { NdrWriter } from '../ndr/writer.js';
import { NIL_UUID } from '../rpc/uuid.js';
import { writeDsName } from './dsname.js';
import {
  type UpToDateCursor,
  type UsnVector,
  writeUpToDateV1,
  writeUsnVector,
  ZERO_USN_VECTOR,
} from './usn.js';

export interface GetNcChangesRequest {
  /** objectGUID of the destination's nTDSDSA object (the DC's own, for a non-DC client). */
  destinationDsa: string;
  /** invocationId of the source DC the watermark is about (nil on a first run). */
  sourceInvocationId?: string;
  /** The naming context root — or, with EXOP_REPL_OBJ, the object. */
  nc: { dn: string; guid?: string };
  from?: UsnVector;
  upToDate?: readonly UpToDateCursor[];
  flags: number;
  maxObjects: number;
  maxBytes: number;
  extendedOp: number;
  /** ATTRTYPs (default prefix table) to replicate; all attributes if omitted. */
  partialAttributeSet?: readonly number[];
}

export function encodeGetNcChangesRequest(handle: Buffer, req: GetNcChangesRequest): Buffer {
  const w = new NdrWriter();
  w.bytes(handle).u32(8).u32(8); // dwInVersion, union tag
  w.param(() => {
    w.align(8);
    w.uuid(req.destinationDsa);
    w.uuid(req.sourceInvocationId ?? NIL_UUID);
    w.refPointer(req.nc, (nc) => writeDsName(w, nc));
    writeUsnVector(w, req.from ?? ZERO_USN_VECTOR);
    w.pointer(req.upToDate && req.upToDate.length > 0 ? req.upToDate : undefined, (c) =>
      writeUpToDateV1(w, c),
    );
    w.u32(req.flags).u32(req.maxObjects).u32(req.maxBytes).u32(req.extendedOp);
    w.u64(0n); // liFsmoInfo
    w.pointer(req.partialAttributeSet, (attids) => {
      w.u32(attids.length).u32(1).u32(0).u32(attids.length);
      for (const a of attids) w.u32(a);
    });
    w.pointer(undefined, () => undefined); // pPartialAttrSetEx
    w.u32(0).pointer(undefined, () => undefined); // PrefixTableDest: empty
  });
  return w.toBuffer();
}
