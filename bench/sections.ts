// The bench sections, in the order they run. A later issue adds its figures by appending a section here.
import { lookup, search } from "./api.ts";
import { cashup } from "./cashup.ts";
import type { Section } from "./context.ts";
import { counts } from "./counts.ts";
import { diskCommit, floor } from "./floor.ts";
import { history } from "./history.ts";
import { hq } from "./hq.ts";
import { hqCatalog } from "./hq-catalog.ts";
import { hqPages } from "./hq-pages.ts";
import { hqReports } from "./hq-reports.ts";
import { live } from "./live.ts";
import { register } from "./register.ts";
import { returns } from "./returns.ts";
import { saleOpenLoop, saleSaturation } from "./sales.ts";
import { startup } from "./startup.ts";
import { stock } from "./stock.ts";
import { together } from "./together.ts";

export const sections: readonly Section[] = [
  startup,
  lookup,
  search,
  saleOpenLoop,
  saleSaturation,
  floor,
  diskCommit,
  register,
  cashup,
  history,
  returns,
  stock,
  together,
  counts,
  live,
  hq,
  hqPages,
  hqCatalog,
  hqReports,
];
