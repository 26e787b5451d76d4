// IDL_DRSCrackNames ([MS-DRSR] 4.1.4): translate one name format into another.
import { NdrReader } from '../ndr/reader.js';
import { NdrWriter } from '../ndr/writer.js';

export interface CrackNamesRequest {
  formatOffered: number;
  formatDesired: number;
  names: string[];
}

export function encodeCrackNamesRequest(handle: Buffer, req: CrackNamesRequest): Buffer {
  const w = new NdrWriter();
  w.bytes(handle).u32(1).u32(1); // dwInVersion, union tag
  w.param(() => {
    w.u32(1252).u32(0x409).u32(0); // CodePage, LocaleId, dwFlags
    w.u32(req.formatOffered).u32(req.formatDesired).u32(req.names.length);
    w.pointer(req.names, (names) => {
      w.u32(names.length);
      for (const n of names) w.pointer(n, (s) => w.wideString(s));
    });
  });
  return w.toBuffer();
}

export interface CrackedName {
  /** DS_NAME_NO_ERROR is 0; 2 is not found, 3 not unique ([MS-DRSR] 4.1.4.1.9). */
  status: number;
  domain: string | undefined;
  name: string | undefined;
}

export function decodeCrackNamesResponse(stub: Buffer): { items: CrackedName[]; status: number } {
  const r = new NdrReader(stub);
  r.u32(); // pdwOutVersion
  r.u32(); // union tag
  const items: CrackedName[] = [];
  r.param(() =>
    r.pointer(() => {
      r.u32(); // cItems (the array carries its own count)
      r.pointer(() => {
        const n = r.count(12, 'name results');
        for (let k = 0; k < n; k++) {
          const item: CrackedName = { status: r.u32(), domain: undefined, name: undefined };
          r.pointer(() => {
            item.domain = r.wideString();
          });
          r.pointer(() => {
            item.name = r.wideString();
          });
          items.push(item);
        }
      });
    }),
  );
  return { items, status: r.u32() };
}
