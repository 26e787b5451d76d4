import { anchorOf } from './anchors.js';
import type { SourceAttributes } from './source-object.js';

/**
 * Adds the attributes the agent synthesizes for every object before mapping, as Cloud Sync does:
 * `domainFQDN` and `domainNetBios` of the domain, and `sourceAnchor` (the base64 anchor from
 * ms-DS-ConsistencyGuid or objectGUID, so `onPremisesImmutableId` and the change's anchor agree).
 * @throws AdValueError when objectGUID is missing or malformed.
 */
export function withSynthesizedAttributes(
  attrs: SourceAttributes,
  domain: { dnsName: string; netbiosName: string },
): SourceAttributes {
  return {
    ...attrs,
    domainFQDN: domain.dnsName,
    domainNetBios: domain.netbiosName,
    sourceAnchor: anchorOf(attrs).anchor,
  };
}
