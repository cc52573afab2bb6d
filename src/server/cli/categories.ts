// shopflow category list | add NAME | rename OLD NEW | remove NAME: the store's categories, by the same rules and
// actions as the Categories page (categories/), each change with its audit row.
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { commandLine } from "../audit/audit-log.ts";
import { categoryActions } from "../categories/actions.ts";
import { categoryRecords } from "../categories/records.ts";
import { openShop } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";

const usage = "category list | add NAME | rename OLD NEW | remove NAME";

export async function categoryCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { data: { type: "string" } } });
  const wanted = (n: number) => {
    if (positionals.length !== n) throw new UsageError(usage);
    return positionals as string[];
  };
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const act = categoryActions(store);
    try {
      switch (sub) {
        case "list": {
          wanted(0);
          for (const c of categoryRecords(store.db).all()) console.log(`${c.name}\t${c.products === 1 ? "1 product" : `${c.products} products`}`);
          return 0;
        }
        case "add": {
          const [name] = wanted(1);
          const c = act.add(commandLine, name!);
          console.log(`category “${c.name}” added`);
          return 0;
        }
        case "rename": {
          const [from, to] = wanted(2);
          const was = act.named(from!);
          const c = act.rename(commandLine, was.id, to!);
          console.log(c.name === was.name ? `“${c.name}” is called that already` : `“${was.name}” is now called “${c.name}”`);
          return 0;
        }
        case "remove": {
          const [name] = wanted(1);
          const c = act.remove(commandLine, act.named(name!).id);
          console.log(`category “${c.name}” removed`);
          return 0;
        }
        default:
          throw new UsageError(`unknown category command "${sub ?? ""}"; use list, add, rename or remove`);
      }
    } catch (e) {
      // refused by the rules the page has: the same sentence, nothing written
      if (e instanceof Problem) throw new UsageError(e.message);
      throw e;
    }
  } finally {
    store.close();
  }
}
