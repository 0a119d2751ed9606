// A git pack file of a few small objects, as a push sends it: "PACK", version 2, the count, each
// object as a type-and-size header and its zlib stream, then the SHA-1 of all that. Nothing is
// a delta, and the zlib streams are stored blocks (loose-object.ts): a record is a few hundred
// bytes, and every reader of packs accepts both.

import { sha1Hex, zlibStored } from './loose-object.js';

export type ObjectType = 'commit' | 'tree' | 'blob';

const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3 };

export interface PackObject {
  type: ObjectType;
  body: Uint8Array;
}

/** The pack holding `objects`, in that order. */
export function packOf(objects: PackObject[]): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.length, 8);
  const parts: Uint8Array[] = [head];
  for (const { type, body } of objects) parts.push(objectHeader(TYPE_CODE[type], body.length), zlibStored(body));
  const content = Buffer.concat(parts);
  return Buffer.concat([content, Buffer.from(sha1Hex(content), 'hex')]);
}

/** The name git gives an object: the SHA-1 of "<type> <size>\0<body>". */
export function objectId(type: ObjectType, body: Uint8Array): string {
  return sha1Hex(Buffer.concat([Buffer.from(`${type} ${body.length}\0`, 'latin1'), body]));
}

/** An entry's header: the type in bits 4–6 of the first byte, the size in 4 and then 7 bits a byte. */
function objectHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}
