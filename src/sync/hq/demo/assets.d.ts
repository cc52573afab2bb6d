// PGlite's PostgreSQL build, imported as files (`with { type: "file" }`): a path, inside the binary once compiled.
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
