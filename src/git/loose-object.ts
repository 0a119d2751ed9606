// The bytes of a git loose object, computed here rather than with node:crypto and node:zlib:
// loading those two costs a remote claim or add a few milliseconds before its push can start
// (docs/decisions.md, "Record objects without node:crypto and node:zlib"). SHA-1 names the
// object (git's content address, not a security measure here), and the file is a zlib stream of
// stored blocks: valid for every inflater, and a record is a few hundred bytes.

const INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/** The SHA-1 of `data`, in hex. */
export function sha1Hex(data: Uint8Array): string {
  const words = paddedWords(data);
  const h = Int32Array.from(INITIAL);
  const w = new Int32Array(80);
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[block + t]!;
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    for (let t = 0; t < 80; t++) {
      const temp = (rotl(a, 5) + round(t, b, c, d) + e + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
  }
  return Array.from(h, (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

/** The message as big-endian 32-bit words: the bytes, 0x80, zeros, the length in bits (64-bit). */
function paddedWords(data: Uint8Array): Int32Array {
  const blocks = ((data.length + 8) >> 6) + 1;
  const words = new Int32Array(blocks * 16);
  for (let i = 0; i < data.length; i++) words[i >> 2]! |= data[i]! << (24 - (i & 3) * 8);
  words[data.length >> 2]! |= 0x80 << (24 - (data.length & 3) * 8);
  words[words.length - 2] = Math.floor(data.length / 0x20000000);
  words[words.length - 1] = (data.length * 8) >>> 0;
  return words;
}

/** The round function and constant of step `t`, added together. */
function round(t: number, b: number, c: number, d: number): number {
  if (t < 20) return ((b & c) | (~b & d)) + 0x5a827999;
  if (t < 40) return (b ^ c ^ d) + 0x6ed9eba1;
  if (t < 60) return ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc;
  return (b ^ c ^ d) + 0xca62c1d6;
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** Deflate allows at most this many bytes in one stored block. */
const STORED_MAX = 0xffff;

/** `data` as a zlib stream (RFC 1950) of stored deflate blocks (RFC 1951), uncompressed. */
export function zlibStored(data: Uint8Array): Buffer {
  const count = Math.max(1, Math.ceil(data.length / STORED_MAX));
  const out = Buffer.alloc(2 + count * 5 + data.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no dictionary, fastest; (0x78 * 256 + 0x01) is a multiple of 31, as zlib checks
  let at = 2;
  for (let i = 0; i < count; i++) {
    const chunk = data.subarray(i * STORED_MAX, (i + 1) * STORED_MAX);
    out[at] = i === count - 1 ? 1 : 0; // BFINAL on the last block; BTYPE 00: stored
    out.writeUInt16LE(chunk.length, at + 1);
    out.writeUInt16LE(~chunk.length & 0xffff, at + 3);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  out.writeUInt32BE(adler32(data), at);
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
