/**
 * Builds Graph's absolute `@odata.nextLink`: the request URL with `$skiptoken` replaced by the next page's
 * token. The other query options stay exactly as the caller encoded them.
 *
 * @example
 * ```ts
 * buildNextLink('https://cloud.example/v1.0/users?$top=2&$filter=accountEnabled%20eq%20true', 'eyJ….abc');
 * // 'https://cloud.example/v1.0/users?$top=2&$filter=accountEnabled%20eq%20true&$skiptoken=eyJ….abc'
 * ```
 * In a Fastify route: `buildNextLink(`${request.protocol}://${request.host}${request.url}`, page.skipToken)`.
 */
export function buildNextLink(requestUrl: string | URL, skipToken: string): string {
  const url = new URL(requestUrl);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isSkipToken(pair));
  kept.push(`$skiptoken=${encodeURIComponent(skipToken)}`);
  url.search = '';
  url.hash = '';
  return `${url.toString()}?${kept.join('&')}`;
}

function isSkipToken(pair: string): boolean {
  const name = pair.split('=', 1)[0] ?? '';
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape is not $skiptoken; keep the pair as the caller sent it.
  }
  return decoded.toLowerCase() === '$skiptoken';
}
