// The dependency rules of DESIGN §2, checked in `make test` (dependency-cruiser, run under Bun).
const test = "\\.test\\.tsx?$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "No import cycles: each module can be understood after the ones it uses.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      comment: "The domain imports nothing outside it and does no I/O: time and ids are passed in.",
      severity: "error",
      from: { path: "^src/domain", pathNot: test },
      to: { pathNot: "^src/domain" },
    },
    {
      name: "views-render-what-they-are-given",
      comment: "Views import no server, sync or database code.",
      severity: "error",
      from: { path: "^src/views", pathNot: test },
      to: { path: ["^src/server", "^src/sync", "^bun:sqlite$", "node_modules/postgres/"] },
    },
    {
      name: "hardware-below-server-and-views",
      comment: "Hardware imports neither views nor server (nor sync).",
      severity: "error",
      from: { path: "^src/hardware", pathNot: test },
      to: { path: ["^src/server", "^src/views", "^src/sync"] },
    },
    {
      name: "store-never-imports-head-office",
      comment: "The store program never imports head office.",
      severity: "error",
      from: { path: ["^src/server", "^src/views/(?!hq/)", "^src/sync/(?!hq/)", "^src/hardware"], pathNot: test },
      to: { path: ["^src/sync/hq/", "^src/views/hq/"] },
    },
    {
      name: "head-office-meets-the-store-only-in-platform-and-contracts",
      comment: "Head office imports no store feature: only server/platform and the contracts (sync/contracts.ts, sync/receipt-contracts.ts, sync/catalog-contracts.ts, sync/store-facts-contracts.ts; and the domain, views/ui).",
      severity: "error",
      from: { path: ["^src/sync/hq/", "^src/views/hq/"], pathNot: test },
      to: { path: ["^src/server/(?!platform/)", "^src/sync/(?!hq/|(receipt-|catalog-|store-facts-)?contracts\\.ts$)", "^src/views/(?!hq/|ui/)", "^src/hardware"] },
    },
    {
      name: "platform-imports-no-feature",
      comment: "Shared web and auth pieces import no store feature, so head office can use them.",
      severity: "error",
      from: { path: "^src/server/platform/", pathNot: test },
      to: { path: ["^src/server/(?!platform/)", "^src/sync", "^src/views", "^src/hardware"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|data)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
