// IDL_DRSDomainControllerInfo level 2 ([MS-DRSR] 4.1.5): the DC's nTDSDSA object GUID, which
// GetNCChanges expects as the destination DSA.
import { NdrReader } from '../ndr/reader.js';
import { NdrWriter } from '../ndr/writer.js';

export function encodeDcInfoRequest(handle: Buffer, domain: string): Buffer {
  const w = new NdrWriter();
  w.bytes(handle).u32(1).u32(1);
  w.param(() => {
    w.pointer(domain, (d) => w.wideString(d));
    w.u32(2); // InfoLevel
  });
  return w.toBuffer();
}

export interface DcInfo {
  netbiosName: string | undefined;
  dnsHostName: string | undefined;
  ntdsDsaObjectGuid: string;
  isPdc: boolean;
  isGc: boolean;
}

const STRING_FIELDS = 7;

export function decodeDcInfoResponse(stub: Buffer): { items: DcInfo[]; status: number } {
  const r = new NdrReader(stub);
  r.u32(); // pdwOutVersion
  r.u32(); // union tag
  const items: DcInfo[] = [];
  r.param(() => {
    r.u32(); // cItems
    r.pointer(() => {
      const n = r.count(STRING_FIELDS * 4 + 12 + 64, 'DC info');
      for (let k = 0; k < n; k++) {
        const item: DcInfo = {
          netbiosName: undefined,
          dnsHostName: undefined,
          ntdsDsaObjectGuid: '',
          isPdc: false,
          isGc: false,
        };
        r.pointer(() => {
          item.netbiosName = r.wideString();
        });
        r.pointer(() => {
          item.dnsHostName = r.wideString();
        });
        // SiteName, SiteObjectName, ComputerObjectName, ServerObjectName, NtdsDsaObjectName: read past.
        for (let f = 2; f < STRING_FIELDS; f++) r.pointer(() => r.wideString());
        item.isPdc = r.u32() !== 0;
        r.u32(); // fDsEnabled
        item.isGc = r.u32() !== 0;
        r.uuid(); // SiteObjectGuid
        r.uuid(); // ComputerObjectGuid
        r.uuid(); // ServerObjectGuid
        item.ntdsDsaObjectGuid = r.uuid();
        items.push(item);
      }
    });
  });
  return { items, status: r.u32() };
}
