// Where a replication run left off: the USN high-water mark and up-to-date vector a DC returned,
// with the DC's invocation ID they are relative to. Plain JSON, safe to store with the agent state.
import { z } from 'zod';
import type { UpToDateCursor, UsnVector } from './drsuapi/usn.js';

const usn = z.string().regex(/^\d{1,20}$/, 'a USN is a decimal string');
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const watermarkSchema = z.object({
  version: z.literal(1),
  /** Distinguished name of the replicated naming context (the domain root). */
  namingContext: z.string().min(1),
  /** invocationId of the DC that produced this watermark; another DC starts from scratch. */
  sourceInvocationId: guid,
  highWatermark: z.object({ highObjUpdate: usn, reserved: usn, highPropUpdate: usn }),
  upToDate: z.array(z.object({ dsa: guid, usn })),
});

/** A replication watermark; `JSON.stringify` it to save, `parseWatermark` to load. */
export type Watermark = z.infer<typeof watermarkSchema>;

/** Validates a watermark read back from storage (a string of JSON or the parsed value). */
export function parseWatermark(input: string | unknown): Watermark {
  return watermarkSchema.parse(typeof input === 'string' ? JSON.parse(input) : input);
}

export function toWatermark(
  namingContext: string,
  sourceInvocationId: string,
  to: UsnVector,
  cursors: readonly UpToDateCursor[],
): Watermark {
  return {
    version: 1,
    namingContext,
    sourceInvocationId,
    highWatermark: {
      highObjUpdate: to.highObjUpdate.toString(),
      reserved: to.reserved.toString(),
      highPropUpdate: to.highPropUpdate.toString(),
    },
    upToDate: cursors.map((c) => ({ dsa: c.dsa, usn: c.usn.toString() })),
  };
}

export function usnVectorOf(w: Watermark): UsnVector {
  return {
    highObjUpdate: BigInt(w.highWatermark.highObjUpdate),
    reserved: BigInt(w.highWatermark.reserved),
    highPropUpdate: BigInt(w.highWatermark.highPropUpdate),
  };
}

export function cursorsOf(w: Watermark): UpToDateCursor[] {
  return w.upToDate.map((c) => ({ dsa: c.dsa, usn: BigInt(c.usn) }));
}
