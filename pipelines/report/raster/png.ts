/** PNG encoding of a Canvas through jimp (the only jimp use in the plotting layer). */
import { Jimp } from 'jimp';
import type { Canvas } from './canvas.js';

export const encodePng = async (c: Canvas): Promise<Buffer> => {
  const data = Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  const image = Jimp.fromBitmap({ width: c.width, height: c.height, data });
  return image.getBuffer('image/png');
};
