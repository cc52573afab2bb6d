// shopflow tax-class list | add CODE NAME RATE | set-rate CODE RATE | rename CODE NAME | remove CODE: the store's tax
// classes, by the same rules and actions as the Tax classes page (tax-classes/), each change with its audit row.
import { parseArgs } from "node:util";
import { Problem } from "../../domain/kernel/problem.ts";
import { commandLine } from "../audit/audit-log.ts";
import { openShop } from "../compose.ts";
import { UsageError } from "../platform/usage-error.ts";
import { taxClassActions } from "../tax-classes/actions.ts";
import { taxClassRecords } from "../tax-classes/records.ts";
import { rateInWords } from "../tax-classes/rules.ts";

const usage = "tax-class list | add CODE NAME RATE | set-rate CODE RATE | rename CODE NAME | remove CODE (RATE in per cent, e.g. 20 or 7.5)";

export async function taxClassCommand(args: string[], dataDir: (v: { data?: string }) => string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { data: { type: "string" } } });
  const wanted = (n: number) => {
    if (positionals.length !== n) throw new UsageError(usage);
    return positionals as string[];
  };
  const store = openShop({ dataDir: dataDir(values) });
  try {
    const act = taxClassActions(store);
    const products = (n: number) => (n === 1 ? "1 product" : `${n} products`);
    try {
      switch (sub) {
        case "list": {
          wanted(0);
          const all = taxClassRecords(store.db).all();
          if (all.length === 0) console.log("no tax classes yet: add one with 'shopflow tax-class add STD Standard 20'");
          for (const t of all) console.log(`${t.code}\t${t.name}\t${rateInWords(t.rateBp)}\t${products(t.products)}`);
          return 0;
        }
        case "add": {
          const [code, name, rate] = wanted(3);
          const t = act.add(commandLine, { code: code!, name: name!, rate: rate! });
          console.log(`tax class ${t.code} (${t.name}, ${rateInWords(t.rateBp)}) added`);
          return 0;
        }
        case "set-rate": {
          const [code, rate] = wanted(2);
          const ch = act.change(commandLine, code!, { rate: rate! });
          console.log(
            ch.rateBp.from === ch.rateBp.to
              ? `${ch.code} is ${rateInWords(ch.rateBp.to)} already`
              : `${ch.code} is now ${rateInWords(ch.rateBp.to)} (was ${rateInWords(ch.rateBp.from)}) for what is scanned from now on; sales already made keep their rate`,
          );
          return 0;
        }
        case "rename": {
          const [code, name] = wanted(2);
          const ch = act.change(commandLine, code!, { name: name! });
          console.log(ch.name.from === ch.name.to ? `${ch.code} is called “${ch.name.to}” already` : `${ch.code} is now called “${ch.name.to}”`);
          return 0;
        }
        case "remove": {
          const [code] = wanted(1);
          const t = act.remove(commandLine, code!);
          console.log(`tax class ${t.code} (${t.name}) removed`);
          return 0;
        }
        default:
          throw new UsageError(`unknown tax-class command "${sub ?? ""}"; use list, add, set-rate, rename or remove`);
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
