import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ber, BerReader, BerWriter } from 'ldapts';
import { AD_CONTROL, DIRSYNC_FLAG, DirSyncControl, SD_PART, SdFlagsControl } from './controls.js';

/** Reads a written control back field by field ([MS-ADTS] 3.1.1.3.4.1.3 and RFC 4511 Control). */
function readControl(write: (w: BerWriter) => void) {
  const w = new BerWriter();
  write(w);
  const r = new BerReader(w.buffer);
  r.readSequence();
  const oid = r.readString();
  const critical = r.readBoolean();
  const value = r.readString(Ber.OctetString, true);
  return { oid, critical, value: new BerReader(value ?? Buffer.alloc(0)) };
}

describe('AD controls', () => {
  test('DirSync request: SEQUENCE { flags, maxBytes, cookie }, flags as a signed 32-bit INTEGER', () => {
    const cookie = Buffer.from('4d534453030000', 'hex');
    const flags =
      DIRSYNC_FLAG.objectSecurity | DIRSYNC_FLAG.ancestorsFirstOrder | DIRSYNC_FLAG.incrementalValues;
    const c = readControl((w) => new DirSyncControl(flags, cookie, 4096).write(w));
    assert.equal(c.oid, AD_CONTROL.dirSync);
    assert.equal(c.critical, true);
    c.value.readSequence();
    assert.equal(c.value.readInt(), flags | 0);
    assert.equal((c.value.readInt() ?? 0) >>> 0, 4096);
    assert.deepEqual(c.value.readString(Ber.OctetString, true), cookie);
  });

  test('DirSync response: SEQUENCE { moreResults, unused, cookie }', () => {
    const w = new BerWriter();
    w.startSequence();
    w.writeInt(1);
    w.writeInt(0);
    w.writeBuffer(Buffer.from([1, 2, 3]), Ber.OctetString);
    w.endSequence();
    const control = new DirSyncControl(0);
    control.parse(new BerReader(w.buffer));
    assert.deepEqual(control.response, { more: true, cookie: Buffer.from([1, 2, 3]) });
  });

  test('SD flags: SEQUENCE { flags }', () => {
    const c = readControl((w) => new SdFlagsControl(SD_PART.dacl).write(w));
    assert.equal(c.oid, AD_CONTROL.sdFlags);
    c.value.readSequence();
    assert.equal(c.value.readInt(), 4);
  });
});
