// The one logger of the store and head office: JSON lines (time, level, event, fields) written by pino, to a folder
// of files rotated by size and by day when the program has one, and warnings and errors echoed to stderr, so
// systemd's journal sees them. Every text is made safe first: card numbers masked, control characters written out.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type DestinationStream, pino } from "pino";
import pinoRoll from "pino-roll";
import { maskCardNumbers } from "../../../domain/kernel/card-data.ts";
import { printable } from "../log-text.ts";
import { UsageError } from "../usage-error.ts";

export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

/** What an event says besides its name: `msg` a sentence for people, `err` what was thrown, the rest facts. */
export type LogFields = { msg?: string; err?: unknown; [key: string]: unknown };

export type Logger = {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Whether lines of this level are written at all (to skip the work of one that would not be). */
  enabled(level: LogLevel): boolean;
  /** The folder of the log files (null: stderr only). */
  readonly dir: string | null;
  /** Write out what is buffered and close the files; stderr stays. */
  close(): Promise<void>;
};

export type LoggerOptions = {
  /** A folder for the log files (made when missing); without one, every line goes to stderr. */
  dir?: string;
  /** The least level written (default: SHOPFLOW_LOG_LEVEL, else info). */
  level?: LogLevel;
  /** Where stderr lines go (default console.error, one call per line); false: nowhere. */
  stderr?: false | ((line: string) => void);
  /** Rotation: a new file past this size (pino-roll's units: "10m", "512k", "100b") and every day; this many kept. */
  rotate?: { size?: string; keep?: number };
};

/** The base name of the files in the log folder: shopflow.YYYY-MM-DD.N.log, with current.log naming the newest. */
export const LOG_FILE_STEM = "shopflow";
const DEFAULT_ROTATION = { size: "10m", keep: 14 };
/** Each log file: read and written by the program's user, read by its group (the shop's admins), nobody else. */
export const LOG_FILE_MODE = 0o640;

/** A level as typed on a command line or in SHOPFLOW_LOG_LEVEL; null when it is none of them. */
export function parseLogLevel(text: string | undefined): LogLevel | null {
  const t = text?.trim().toLowerCase();
  return (logLevels as readonly string[]).includes(t ?? "") ? (t as LogLevel) : null;
}

/** The level of a serving program: its --log-level, else SHOPFLOW_LOG_LEVEL, else info; a level that is none is refused. */
export function levelFromFlag(flag: string | undefined): LogLevel {
  if (flag === undefined) return defaultLevel();
  const level = parseLogLevel(flag);
  if (!level) throw new UsageError(`--log-level is one of ${logLevels.join(", ")}, not "${flag}"`);
  return level;
}

/** The level a program starts with when it was given none: SHOPFLOW_LOG_LEVEL, else info. */
export function defaultLevel(): LogLevel {
  const fromEnv = process.env.SHOPFLOW_LOG_LEVEL;
  const level = parseLogLevel(fromEnv);
  if (fromEnv?.trim() && !level) throw new UsageError(`SHOPFLOW_LOG_LEVEL is one of ${logLevels.join(", ")}, not "${fromEnv}"`);
  return level ?? "info";
}

const oneLine = (line: string) => (line.endsWith("\n") ? line.slice(0, -1) : line);
// through console.error, so what a test listens to there it still hears; one call per line (and per event)
const toConsole = (line: string) => console.error(oneLine(line));

/** A logger: to rotated files in `dir` (warnings and errors echoed to stderr), or to stderr alone. */
export async function createLogger(options: LoggerOptions = {}): Promise<Logger> {
  const level = options.level ?? defaultLevel();
  const echo = options.stderr === undefined ? toConsole : options.stderr;
  const stderrStream = echo ? ({ write: (line: string) => echo(oneLine(line)) } satisfies DestinationStream) : null;
  if (!options.dir) return wrap(pinoFor(level, stderrStream ? [{ level, stream: stderrStream }] : []), null, async () => {});
  const dir = options.dir;
  const rotate = { ...DEFAULT_ROTATION, ...options.rotate };
  // made here, not by the stream: pino-roll points current.log at the file before the stream has opened it. The lines
  // name people and stores: the folder and files are the program's user's and its group's, never everyone's (a folder
  // that is there already keeps its mode: it may be /var/log)
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  // pino-roll's stream as pino's own destination, on this thread: no transport worker, which a compiled binary may lack
  const file = await pinoRoll({
    file: join(dir, LOG_FILE_STEM),
    extension: "log",
    size: rotate.size,
    frequency: "daily",
    dateFormat: "yyyy-MM-dd",
    symlink: true,
    limit: { count: rotate.keep, removeOtherLogFiles: true },
    mode: LOG_FILE_MODE,
  });
  // a log file that cannot be written (disk full, permissions) is said on stderr; it never takes the program down
  let told = false;
  file.on("error", (e: Error) => {
    if (told) return;
    told = true;
    if (echo) echo(JSON.stringify({ level: "error", time: new Date().toISOString(), event: "log.file_failed", msg: printable(e.message) }));
  });
  const streams: pino.StreamEntry<LogLevel>[] = [{ level, stream: file }];
  if (stderrStream) streams.push({ level: level === "error" ? "error" : "warn", stream: stderrStream });
  return wrap(pinoFor(level, streams), dir, () => closeStream(file));
}

function pinoFor(level: LogLevel, streams: pino.StreamEntry<LogLevel>[]): pino.Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // errors are made safe (and plain) before pino sees them: its own serializer would call them "Object"
      serializers: { err: (e: unknown) => e },
    },
    pino.multistream(streams, { dedupe: false }),
  );
}

function closeStream(stream: { end(): void; once(event: "close", f: () => void): unknown; destroyed?: boolean }): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", resolve);
    stream.end();
  });
}

function wrap(p: pino.Logger, dir: string | null, close: () => Promise<void>): Logger {
  let closed: Promise<void> | null = null;
  const at =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}): void => {
      if (!p.isLevelEnabled(level)) return;
      try {
        p[level](safeFields(event, fields));
      } catch {
        // a log line is never worth failing what was being done
      }
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    enabled: (level) => p.isLevelEnabled(level),
    dir,
    close: () => {
      closed ??= close();
      return closed;
    },
  };
}

/** Text fit for a log: card numbers masked first (a control character between digits must not hide one), then printable. */
export function safeText(text: string): string {
  if (text.includes("%")) {
    // a card number written with percent-escapes between its digits (a path keeps %2F and %25 encoded) is one too
    let plain = text;
    while (/%25/i.test(plain)) plain = plain.replace(/%25/gi, "%");
    plain = plain.replace(/%[0-9A-Fa-f]{2}/g, " ");
    const masked = maskCardNumbers(plain);
    if (masked !== plain) return printable(masked);
  }
  return printable(maskCardNumbers(text));
}

const MAX_DEPTH = 4;

function safeFields(event: string, fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = { event: safeText(event) };
  for (const [key, value] of Object.entries(fields)) out[key] = key === "err" ? safeError(value) : safeValue(value, 0);
  return out;
}

function safeValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return safeText(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return safeError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) return value.map((v) => safeValue(v, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[safeText(k)] = safeValue(v, depth + 1);
    return out;
  }
  return safeText(String(value));
}

/** What was thrown: its kind, message and stack (lines kept as lines, each made safe), and its code when it has one. */
function safeError(e: unknown): unknown {
  if (!(e instanceof Error)) return { message: safeText(String(e)) };
  const out: Record<string, unknown> = { type: safeText(e.name), message: safeText(e.message) };
  if (e.stack) out.stack = maskCardNumbers(e.stack).split("\n").map(printable).join("\n");
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = safeValue(code, 0);
  return out;
}

/**
 * The logger of code that was given none: a command run at a terminal (an upgrade it makes, a check that failed), a
 * test. Its lines are for a person reading them there: the sentence (or the event's name), then what was thrown,
 * made safe like every log line; warnings and errors only, unless SHOPFLOW_LOG_LEVEL says otherwise. Programs that
 * serve make a JSON logger with createLogger and pass it in through their composition root.
 */
export const stderrLog: Logger = terminalLogger(parseLogLevel(process.env.SHOPFLOW_LOG_LEVEL) ?? "warn");

function terminalLogger(least: LogLevel): Logger {
  const enabled = (level: LogLevel) => logLevels.indexOf(level) >= logLevels.indexOf(least);
  const at =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}): void => {
      if (!enabled(level)) return;
      const said = typeof fields.msg === "string" ? safeText(fields.msg) : safeText(event);
      const err = fields.err === undefined ? null : (safeError(fields.err) as { message: string; stack?: string });
      console.error(err ? (err.stack ? `${said}\n${err.stack}` : `${said}: ${err.message}`) : said);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), enabled, dir: null, close: async () => {} };
}
