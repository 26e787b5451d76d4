// USN_VECTOR and up-to-date vector cursors: where a replication run stands ([MS-DRSR] 5.210, 5.166).
import type { NdrReader } from '../ndr/reader.js';
import type { NdrWriter } from '../ndr/writer.js';

export interface UsnVector {
  highObjUpdate: bigint;
  reserved: bigint;
  highPropUpdate: bigint;
}

export const ZERO_USN_VECTOR: UsnVector = { highObjUpdate: 0n, reserved: 0n, highPropUpdate: 0n };

export interface UpToDateCursor {
  /** invocationId of the DSA the cursor is about. */
  dsa: string;
  usn: bigint;
  /** DSTIME (seconds since 1601) of the last successful sync; 0n in requests. */
  lastSync?: bigint;
}

export function readUsnVector(r: NdrReader): UsnVector {
  return { highObjUpdate: r.u64(), reserved: r.u64(), highPropUpdate: r.u64() };
}

export function writeUsnVector(w: NdrWriter, v: UsnVector): void {
  w.u64(v.highObjUpdate).u64(v.reserved).u64(v.highPropUpdate);
}

/** UPTODATE_VECTOR_V1_EXT pointee (request side). */
export function writeUpToDateV1(w: NdrWriter, cursors: readonly UpToDateCursor[]): void {
  w.u32(cursors.length).align(8);
  w.u32(1).u32(0).u32(cursors.length).u32(0);
  for (const c of cursors) w.align(8).uuid(c.dsa).u64(c.usn);
}

/** UPTODATE_VECTOR_V2_EXT pointee (reply side). */
export function readUpToDateV2(r: NdrReader): UpToDateCursor[] {
  const max = r.count(32, 'up-to-date vector');
  r.align(8);
  r.u32(); // dwVersion
  r.u32();
  r.u32(); // cNumCursors, equal to max
  r.u32();
  const cursors: UpToDateCursor[] = [];
  for (let n = 0; n < max; n++) {
    r.align(8);
    cursors.push({ dsa: r.uuid(), usn: r.u64(), lastSync: r.u64() });
  }
  return cursors;
}
