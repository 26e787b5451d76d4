// LDAP controls Active Directory defines and ldapts does not ship ([MS-ADTS] 3.1.1.3.4.1).
import { Ber, type BerReader, BerWriter, Control } from 'ldapts';

/** OIDs of the AD controls the agent uses. */
export const AD_CONTROL = {
  pagedResults: '1.2.840.113556.1.4.319',
  dirSync: '1.2.840.113556.1.4.841',
  notification: '1.2.840.113556.1.4.528',
  showDeleted: '1.2.840.113556.1.4.417',
  sdFlags: '1.2.840.113556.1.4.801',
  extendedDn: '1.2.840.113556.1.4.529',
} as const;

/** DirSync request flags ([MS-ADTS] 3.1.1.3.4.1.3). */
export const DIRSYNC_FLAG = {
  /** Return only what the caller may read; lets an account without "Replicating Directory Changes" use DirSync. */
  objectSecurity: 0x1,
  /** Parents before children, so a consumer can create containers first. */
  ancestorsFirstOrder: 0x800,
  publicDataOnly: 0x2000,
  /** Linked attributes (member) come back as added/removed values rather than the whole list. */
  incrementalValues: 0x80000000,
} as const;

/** Wraps a BER value as the control's octet string. */
function writeValue(writer: BerWriter, build: (w: BerWriter) => void): void {
  const inner = new BerWriter();
  build(inner);
  writer.writeBuffer(inner.buffer, Ber.OctetString);
}

/** Result of a DirSync round: whether more is waiting and the cookie to continue from. */
export interface DirSyncResponseValue {
  more: boolean;
  cookie: Buffer;
}

/**
 * DirSync (1.2.840.113556.1.4.841). The response control comes back with the same OID; ldapts hands it to
 * this request instance, so after the search `response` holds the server's answer.
 */
export class DirSyncControl extends Control {
  static readonly type = AD_CONTROL.dirSync;
  response?: DirSyncResponseValue;

  constructor(
    readonly flags: number,
    readonly cookie: Buffer = Buffer.alloc(0),
    readonly maxBytes = 0,
  ) {
    super(AD_CONTROL.dirSync, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    writeValue(writer, (w) => {
      w.startSequence();
      // The flags field is a signed 32-bit INTEGER on the wire; incrementalValues sets the sign bit.
      w.writeInt(this.flags | 0);
      w.writeInt(this.maxBytes);
      w.writeBuffer(this.cookie, Ber.OctetString);
      w.endSequence();
    });
  }

  protected override parseControl(reader: BerReader): void {
    if (!reader.readSequence()) return;
    const more = reader.readInt() ?? 0;
    reader.readInt(); // "unused" field of DirSyncResponseValue
    const cookie = reader.readString(Ber.OctetString, true) ?? Buffer.alloc(0);
    this.response = { more: more !== 0, cookie };
  }
}

/** Security-descriptor flags: which parts of nTSecurityDescriptor to read or write. */
export const SD_PART = { owner: 0x1, group: 0x2, dacl: 0x4, sacl: 0x8 } as const;

/** LDAP_SERVER_SD_FLAGS (1.2.840.113556.1.4.801): limits nTSecurityDescriptor reads and writes to `parts`. */
export class SdFlagsControl extends Control {
  constructor(readonly parts: number) {
    super(AD_CONTROL.sdFlags, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    writeValue(writer, (w) => {
      w.startSequence();
      w.writeInt(this.parts);
      w.endSequence();
    });
  }
}

/** LDAP_SERVER_SHOW_DELETED (1.2.840.113556.1.4.417): include tombstones in a search. */
export class ShowDeletedControl extends Control {
  constructor() {
    super(AD_CONTROL.showDeleted, { critical: true });
  }
}

/** LDAP_SERVER_NOTIFICATION (1.2.840.113556.1.4.528): turns a search into a persistent one. */
export class NotificationControl extends Control {
  constructor() {
    super(AD_CONTROL.notification, { critical: true });
  }
}

/**
 * LDAP_SERVER_EXTENDED_DN (1.2.840.113556.1.4.529), hexadecimal form: DN values come back as
 * `<GUID=hex>;<SID=hex>;CN=…`, the GUID in objectGUID's byte order.
 */
export class ExtendedDnControl extends Control {
  constructor() {
    super(AD_CONTROL.extendedDn, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    writeValue(writer, (w) => {
      w.startSequence();
      w.writeInt(0);
      w.endSequence();
    });
  }
}
