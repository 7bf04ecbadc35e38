declare module 'lzma/src/lzma-d.js' {
  /** LZMA-JS's decoder (decompression only). Without callbacks it is synchronous; it returns a
   *  string when the output happens to be UTF-8 without NUL bytes, else the bytes (signed). */
  export const LZMA: { decompress(data: Uint8Array | number[]): string | number[] };
}
