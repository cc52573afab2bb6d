// The product pages' specs (page-specs.ts) on the store's own app (createApp): /products as pages.tsx mounts it.
import { describe } from "bun:test";
import { makeTestStore } from "../helpers/store.ts";
import { productPageSpecs } from "./page-specs.ts";

describe("product pages", () => productPageSpecs(makeTestStore, (t) => t.app));
