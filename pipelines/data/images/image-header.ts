/**
 * Image dimensions from a file's header, before any decoding: what lets the decoder refuse a
 * 69-byte PNG that claims 20000 x 20000 pixels (4.7 GB once decoded) at the cost of reading a
 * few bytes. PNG (IHDR), JPEG (the first SOF segment), BMP and GIF; anything else is null.
 *
 * Self-contained (no imports, no module-level helpers): the decode worker embeds its source text
 * via `Function.prototype.toString`, as it does `renderSample`.
 */
export function imageHeaderSize(b: Uint8Array): { width: number; height: number; format: string } | null {
  const n = b.length;
  const be16 = (i: number) => (b[i] << 8) | b[i + 1];
  const be32 = (i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  const le16 = (i: number) => b[i] | (b[i + 1] << 8);
  const le32 = (i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >> 0;
  if (n >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52)
    return { width: be32(16), height: be32(20), format: 'PNG' };
  if (n >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 3 < n) {
      if (b[i] !== 0xff) return null;
      const m = b[i + 1];
      if (m === 0xff) {
        i++;
        continue;
      } // fill byte
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
        i += 2;
        continue;
      } // no length
      if (m === 0xd9 || m === 0xda) return null; // end of image or scan data before any frame header
      const len = be16(i + 2);
      if (len < 2) return null;
      const sof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
      if (sof) return i + 8 < n ? { width: be16(i + 7), height: be16(i + 5), format: 'JPEG' } : null;
      i += 2 + len;
    }
    return null;
  }
  if (n >= 26 && b[0] === 0x42 && b[1] === 0x4d) return { width: Math.abs(le32(18)), height: Math.abs(le32(22)), format: 'BMP' };
  if (n >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return { width: le16(6), height: le16(8), format: 'GIF' };
  return null;
}
