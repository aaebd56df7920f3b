// The ETag S3 and the fs backend give a multipart object: the MD5 of the parts' binary MD5s, then "-<part count>".
import { createHash } from 'node:crypto';

/** The multipart ETag of parts with these ETags (quoted hex MD5s, in part order). */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}
