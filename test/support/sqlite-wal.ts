/**
 * Reads an SQLite write-ahead log the way SQLite's recovery does
 * (https://www.sqlite.org/fileformat2.html#walformat), without SQLite: the
 * 32-byte header, then frames of a 24-byte header and one page. A frame is
 * valid when its salts match the header's and its checksum, chained from the
 * previous frame, is right; recovery stops at the first invalid or incomplete
 * frame and keeps the frames up to the last valid commit frame (one whose
 * "database size after commit" is not 0). Fault tests use it as an oracle
 * for which transactions must survive a torn log.
 */
export interface WalScan {
  readonly pageSize: number;
  /** Bytes taken by one frame: 24 + pageSize. */
  readonly frameBytes: number;
  /** Valid frames in log order, up to the first invalid one. */
  readonly validFrames: number;
  /** Indexes (0-based) of the valid commit frames: one per committed transaction. */
  readonly commits: readonly number[];
}

const HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

function checksum(bigEndian: boolean, data: Buffer, start: number, end: number, s: [number, number]): [number, number] {
  let [s0, s1] = s;
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

export function scanWal(wal: Buffer): WalScan {
  const magic = wal.length >= HEADER_BYTES ? wal.readUInt32BE(0) : 0;
  if (magic !== 0x377f0682 && magic !== 0x377f0683) throw new Error(`not a write-ahead log (magic ${magic.toString(16)})`);
  const bigEndian = (magic & 1) === 1;
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let sum = checksum(bigEndian, wal, 0, 24, [0, 0]);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) throw new Error('the log header checksum is wrong');
  const frameBytes = FRAME_HEADER_BYTES + pageSize;
  const commits: number[] = [];
  let frame = 0;
  for (let at = HEADER_BYTES; at + frameBytes <= wal.length; at += frameBytes, frame++) {
    if (wal.readUInt32BE(at) === 0 || wal.readUInt32BE(at + 8) !== salt[0] || wal.readUInt32BE(at + 12) !== salt[1]) break;
    const next = checksum(bigEndian, wal, at + FRAME_HEADER_BYTES, at + frameBytes, checksum(bigEndian, wal, at, at + 8, sum));
    if (next[0] !== wal.readUInt32BE(at + 16) || next[1] !== wal.readUInt32BE(at + 20)) break;
    sum = next;
    if (wal.readUInt32BE(at + 4) !== 0) commits.push(frame);
  }
  return { pageSize, frameBytes, validFrames: frame, commits };
}

/** Where frame `index` starts in the log file. */
export const frameOffset = (scan: WalScan, index: number) => HEADER_BYTES + index * scan.frameBytes;
