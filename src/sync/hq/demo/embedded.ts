// Evaluation only: PostgreSQL compiled to WebAssembly (PGlite) running inside this process, on a data directory of
// its own, and served on a local port so head office talks to it through postgres.js exactly as to a real server.
// One PostgreSQL backend serves every connection in turn, so this is for trying head office, never for a chain.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
// Imported as files so `bun build --compile` puts them in the binary: PGlite looks for them beside its own script,
// which a compiled binary does not have.
import initdbWasm from "../../../../node_modules/@electric-sql/pglite/dist/initdb.wasm" with { type: "file" };
import pgliteData from "../../../../node_modules/@electric-sql/pglite/dist/pglite.data" with { type: "file" };
import pgliteWasm from "../../../../node_modules/@electric-sql/pglite/dist/pglite.wasm" with { type: "file" };

export type EmbeddedPostgres = {
  /** What openHq is given: postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  /** Stop serving and close the database cleanly (its files stay for the next start). */
  stop(): Promise<void>;
};

/**
 * Connections the local port takes at once: head office's pool, its LISTEN, and a few spare. More would queue in
 * PGlite all the same: it runs one statement at a time, a transaction's statements before anyone else's.
 */
export const EMBEDDED_CONNECTIONS = 8;

/** Open (or create, the first time: about ten seconds) the database in `dataDir` and serve it on 127.0.0.1. */
export async function startEmbeddedPostgres(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  const bytes = (path: string) => Bun.file(path).arrayBuffer();
  const db = await PGlite.create(dataDir, {
    pgliteWasmModule: await WebAssembly.compile(await bytes(pgliteWasm)),
    initdbWasmModule: await WebAssembly.compile(await bytes(initdbWasm)),
    fsBundle: new Blob([await bytes(pgliteData)]),
  });
  // only this machine: PGlite asks no password of whoever connects
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: EMBEDDED_CONNECTIONS });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  // "127.0.0.1:PORT", the port the system gave when asked for 0
  const boundPort = Number(server.getServerConn().split(":").at(-1));
  return {
    url: `postgres://postgres@127.0.0.1:${boundPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
