import { AdValueError, describeValue } from './ad-values/ad-value-error.js';
import { guidBytesToString, guidStringToBytes } from './ad-values/guid.js';
import { getFirst, type SourceAttributes } from './source-object.js';

export interface ObjectAnchor {
  /** Base64 of the 16 anchor bytes: the cloud's `onPremisesImmutableId`. */
  anchor: string;
  /** Which attribute the anchor came from. */
  source: 'ms-DS-ConsistencyGuid' | 'objectGUID';
  /** objectGUID in string form (always from objectGUID). */
  objectGuid: string;
}

function asGuidBytes(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array && value.length === 16 ? value : undefined;
}

/**
 * The anchor of an AD object: `ms-DS-ConsistencyGuid` when it holds 16 bytes, else `objectGUID`.
 * @throws AdValueError `MALFORMED_GUID` when objectGUID is missing or not 16 bytes.
 * @example
 *   anchorOf({ objectGUID: bytes }).anchor // 'AAECAwQFBgcICQoLDA0ODw=='
 */
export function anchorOf(attrs: SourceAttributes): ObjectAnchor {
  const objectGuidValue = getFirst(attrs, 'objectGUID');
  const objectGuid = asGuidBytes(objectGuidValue);
  if (!objectGuid) {
    throw new AdValueError(
      'MALFORMED_GUID',
      `objectGUID must be 16 bytes, got ${describeValue(objectGuidValue)}`,
    );
  }
  const consistency = asGuidBytes(getFirst(attrs, 'ms-DS-ConsistencyGuid'));
  return {
    anchor: Buffer.from(consistency ?? objectGuid).toString('base64'),
    source: consistency ? 'ms-DS-ConsistencyGuid' : 'objectGUID',
    objectGuid: guidBytesToString(objectGuid),
  };
}

/** The anchor (immutableId) of a GUID given in string form. */
export function anchorFromGuid(guid: string): string {
  return Buffer.from(guidStringToBytes(guid)).toString('base64');
}

/** The GUID string an anchor encodes. @throws AdValueError `MALFORMED_GUID` when it is not 16 bytes of base64. */
export function guidFromAnchor(anchor: string): string {
  if (typeof anchor !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(anchor)) {
    throw new AdValueError('MALFORMED_GUID', `not an anchor: ${describeValue(anchor)}`);
  }
  return guidBytesToString(Buffer.from(anchor, 'base64'));
}
