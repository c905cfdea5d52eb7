/**
 * Reads a ZIP file's central directory (no inflating) and tells how many
 * entries it has and how large they say they are once unpacked. An .xlsx is
 * a ZIP: a small upload that unpacks to gigabytes (a "zip bomb") is refused
 * before the spreadsheet reader inflates anything. ZIP64 archives (sizes over
 * 4 GB, which no real import needs) are reported as unreadable.
 */
export function zipContents(bytes: Buffer): { entries: number; unpackedBytes: number } | null {
  const EOCD = 0x06054b50;
  const ENTRY = 0x02014b50;
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) !== EOCD) continue;
    const count = bytes.readUInt16LE(at + 10);
    let offset = bytes.readUInt32LE(at + 16);
    if (count === 0xffff || offset === 0xffffffff) return null;
    let unpackedBytes = 0;
    for (let i = 0; i < count; i++) {
      if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== ENTRY) return null;
      const size = bytes.readUInt32LE(offset + 24);
      if (size === 0xffffffff) return null;
      unpackedBytes += size;
      offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
    }
    return { entries: count, unpackedBytes };
  }
  return null;
}
