// Where a replication run left off: the USN high-water mark and up-to-date vector a DC returned,
// with the DC's invocation ID they are relative to. The shape is the agent⇄cloud contract's
// `DrsrWatermark` (@cloudsync/protocol), so it goes into the agent's cursor as it is.
import { type DrsrWatermark, drsrWatermarkSchema } from '@cloudsync/protocol';
import type { UpToDateCursor, UsnVector } from './drsuapi/usn.js';

/** A replication watermark; `JSON.stringify` it to save, `parseWatermark` to load. */
export type Watermark = DrsrWatermark;

/** Validates a watermark read back from storage (a string of JSON or the parsed value). */
export function parseWatermark(input: unknown): Watermark {
  return drsrWatermarkSchema.parse(typeof input === 'string' ? JSON.parse(input) : input);
}

export function toWatermark(
  invocationId: string,
  to: UsnVector,
  cursors: readonly UpToDateCursor[],
): Watermark {
  return {
    invocationId,
    highObjUpdate: to.highObjUpdate.toString(),
    highPropUpdate: to.highPropUpdate.toString(),
    upToDateness: cursors.map((c) => ({ invocationId: c.dsa, usnHighPropUpdate: c.usn.toString() })),
  };
}

/** usnReserved is not part of the watermark: [MS-DRSR] 5.210 has clients send it as 0. */
export function usnVectorOf(w: Watermark): UsnVector {
  return { highObjUpdate: BigInt(w.highObjUpdate), reserved: 0n, highPropUpdate: BigInt(w.highPropUpdate) };
}

export function cursorsOf(w: Watermark): UpToDateCursor[] {
  return w.upToDateness.map((c) => ({ dsa: c.invocationId, usn: BigInt(c.usnHighPropUpdate) }));
}
