// A bytea column as a Buffer on both drivers (PGlite answers Uint8Array, node-postgres Buffer).
import { customType } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  // node-postgres answers a fresh Buffer per row: copied again, a download's bytes were copied twice
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
