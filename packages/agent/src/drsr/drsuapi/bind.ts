// IDL_DRSBind and IDL_DRSUnbind ([MS-DRSR] 4.1.3, 4.1.25).
import { protocolError } from '../errors.js';
import { NdrReader } from '../ndr/reader.js';
import { NdrWriter } from '../ndr/writer.js';
import { CLIENT_EXTENSIONS, NTDSAPI_CLIENT_GUID } from './constants.js';

/** DRS_EXTENSIONS_INT as this client sends it: flags, no site, pid 0, epoch 0 (28 bytes). */
export function encodeBindRequest(extensions = CLIENT_EXTENSIONS): Buffer {
  const w = new NdrWriter();
  w.param(() => w.pointer(NTDSAPI_CLIENT_GUID, (g) => w.uuid(g)));
  w.param(() =>
    w.pointer(extensions, (flags) => {
      const ext = Buffer.alloc(28);
      ext.writeUInt32LE(flags >>> 0, 0);
      w.u32(ext.length).u32(ext.length).bytes(ext);
    }),
  );
  return w.toBuffer();
}

export interface BindReply {
  /** The DC's DRS_EXTENSIONS_INT dwFlags (0 if it sent none). */
  serverExtensions: number;
  /** The DRS context handle for every later call. */
  handle: Buffer;
  status: number;
}

export function decodeBindResponse(stub: Buffer): BindReply {
  const r = new NdrReader(stub);
  let serverExtensions = 0;
  r.param(() =>
    r.pointer(() => {
      const max = r.count(1, 'DRS_EXTENSIONS');
      const cb = r.u32();
      if (cb !== max || cb > 10000) throw protocolError('DRS_EXTENSIONS size is inconsistent');
      const rgb = r.bytes(cb);
      serverExtensions = rgb.length >= 4 ? rgb.readUInt32LE(0) : 0;
    }),
  );
  const handle = r.contextHandle();
  const status = r.u32();
  return { serverExtensions, handle, status };
}

export function encodeUnbindRequest(handle: Buffer): Buffer {
  return new NdrWriter().bytes(handle).toBuffer();
}
