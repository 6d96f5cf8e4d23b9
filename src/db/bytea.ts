// A bytea column as a Buffer on both drivers (PGlite answers Uint8Array, node-postgres Buffer).
import { customType } from 'drizzle-orm/pg-core';

/**
 * A bytea value as a Buffer: node-postgres answers a fresh Buffer per row, kept as it is (copied again, a
 * download's bytes were copied twice); PGlite a Uint8Array, copied once. For raw statements too.
 */
export const asBuffer = (v: Uint8Array): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));

export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: asBuffer,
});
