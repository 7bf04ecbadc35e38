declare module 'libmime' {
  const libmime: {
    decodeWords(str: string): string;
    encodeWord(data: string | Buffer, mimeWordEncoding?: 'Q' | 'B', maxLength?: number): string;
    encodeWords(data: string | Buffer, mimeWordEncoding?: 'Q' | 'B', maxLength?: number): string;
    decode(buf: Buffer | string, charset?: string): string;
    foldLines(str: string, lineLength?: number, afterSpace?: boolean): string;
  };
  export default libmime;
}
