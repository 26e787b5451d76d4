// Reading and writing only the DACL of an object's nTSecurityDescriptor (SD flags control 0x801 = DACL),
// so owner, group and SACL are neither needed nor touched.
import { Attribute, Change } from 'ldapts';
import type { AdConnection } from '../ad/connection.js';
import { SD_PART, SdFlagsControl } from '../ad/controls.js';
import { AdError } from '../ad/errors.js';
import {
  encodeSecurityDescriptor,
  parseSecurityDescriptor,
  type SecurityDescriptor,
} from './security-descriptor.js';

/** The DACL part of `dn`'s security descriptor. */
export async function readDacl(ad: AdConnection, dn: string): Promise<SecurityDescriptor> {
  const [entry] = await ad.search(
    dn,
    {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['nTSecurityDescriptor'],
      explicitBufferAttributes: ['nTSecurityDescriptor'],
    },
    [new SdFlagsControl(SD_PART.dacl)],
  );
  const raw = entry?.nTSecurityDescriptor;
  if (!Buffer.isBuffer(raw))
    throw new AdError('ad.insufficient_rights', `cannot read the security descriptor of ${dn}`);
  return parseSecurityDescriptor(raw);
}

/** Replaces the DACL of `dn` (only the DACL: the SD flags control says so). */
export async function writeDacl(ad: AdConnection, dn: string, sd: SecurityDescriptor): Promise<void> {
  const value = encodeSecurityDescriptor({ revision: sd.revision, control: sd.control, dacl: sd.dacl });
  await ad.modify(
    dn,
    [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'nTSecurityDescriptor', values: [value] }),
      }),
    ],
    [new SdFlagsControl(SD_PART.dacl)],
  );
}
