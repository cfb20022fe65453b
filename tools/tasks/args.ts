// Command-line parsing shared by the deno tasks (node:util parseArgs, strict): `--help`/`-h` prints the usage and
// exits 0 before any work; an unknown flag, a missing value or a bad value prints one line `<task>: <problem>`, then
// the usage, and exits 2 (no stack trace).
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

/** How a numeric flag is checked. */
export type NumberRule = "positive" | "count" | "positive-count" | "fraction";

const RULES: Record<NumberRule, { ok: (n: number) => boolean; what: string }> = {
  positive: { ok: (n) => n > 0 && Number.isFinite(n), what: "a positive number" },
  count: { ok: (n) => Number.isInteger(n) && n >= 0, what: "a whole number ≥ 0" },
  "positive-count": { ok: (n) => Number.isInteger(n) && n >= 1, what: "a whole number ≥ 1" },
  fraction: { ok: (n) => n >= 0 && n <= 1, what: "a number in [0, 1]" },
};

/** A number for a flag with a default, else number | undefined. */
type NumberOf<O extends ParseArgsOptionsConfig, K extends keyof O> = O[K] extends { default: string } ? number
  : number | undefined;

export interface TaskArgs<O extends ParseArgsOptionsConfig> {
  values: Parsed<O>["values"];
  positionals: string[];
  /** Prints `<task>: <problem>` and the usage to stderr; exits 2. */
  usageError(problem: string): never;
  /** The flag's value as a number checked by `rule` (a usage error otherwise). */
  number<K extends keyof O & string>(flag: K, rule: NumberRule): NumberOf<O, K>;
  /** The flag's value when it is one of `choices` (a usage error otherwise); undefined when not given. */
  choice<K extends keyof O & string, C extends string>(flag: K, choices: readonly C[]): C | undefined;
  /** `derive()`, a value read from the flags (a config file, a selection); what it throws is a usage error. */
  check<T>(derive: () => T): T;
}

/** `--flag -1` → `--flag=-1` for string flags, so a negative number reads as a (bad) value, not as a flag. */
function joinNegativeNumbers(args: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : null;
    if (name && options[name]?.type === "string" && /^-[\d.]/.test(args[i + 1] ?? "")) {
      out.push(`${args[i]}=${args[++i]}`);
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** The one-line problem of a parseArgs error, worded for the command line. */
function describeParseError(error: Error & { code?: string }, args: readonly string[]): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? "";
  const flag = quoted.split(" ")[0].replace(/,$/, "");
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${quoted}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}" (this task takes flags only)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      if (error.message.includes("ambiguous")) {
        const value = args[args.indexOf(flag) + 1];
        return `${flag} needs a value, got the flag-like "${value}" (write ${flag}=${value} to pass it as a value)`;
      }
      if (error.message.includes("missing")) return `${flag} needs a value`;
      break;
    }
  }
  return error.message.split("\n")[0];
}

/**
 * Parses `args` (default Deno.args) of `task` against `options` (a `help` flag is added). `positionals`: whether
 * the task takes arguments besides flags.
 */
export function parseTaskArgs<O extends ParseArgsOptionsConfig>(
  task: string,
  usage: string,
  options: O,
  config: { positionals?: boolean; args?: readonly string[] } = {},
): TaskArgs<O> {
  const given = config.args ?? Deno.args;
  const end = given.indexOf("--");
  const flags = end < 0 ? given : given.slice(0, end);
  if (flags.includes("--help") || flags.includes("-h")) {
    console.log(usage);
    Deno.exit(0);
  }
  const usageError = (problem: string): never => {
    console.error(`${task}: ${problem}\n${usage}`);
    Deno.exit(2);
  };
  const args = [...joinNegativeNumbers(flags, options), ...(end < 0 ? [] : given.slice(end))];
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: config.positionals ?? false, strict: true }) as Parsed<O>;
  } catch (e) {
    return usageError(describeParseError(e as Error, args));
  }
  const { values } = parsed;
  const text = (flag: string) => (values as Record<string, unknown>)[flag] as string | undefined;
  return {
    values,
    positionals: parsed.positionals,
    usageError,
    number<K extends keyof O & string>(flag: K, rule: NumberRule) {
      const value = text(flag);
      if (value === undefined) return undefined as NumberOf<O, K>;
      const n = value.trim() === "" ? NaN : Number(value);
      if (!RULES[rule].ok(n)) usageError(`--${flag} must be ${RULES[rule].what}, got "${value}"`);
      return n as NumberOf<O, K>;
    },
    choice<K extends keyof O & string, C extends string>(flag: K, choices: readonly C[]) {
      const value = text(flag);
      if (value !== undefined && !choices.includes(value as C)) {
        usageError(`--${flag} must be one of ${choices.join(", ")}, got "${value}"`);
      }
      return value as C | undefined;
    },
    check<T>(derive: () => T): T {
      try {
        return derive();
      } catch (e) {
        return usageError(e instanceof Error ? e.message : String(e));
      }
    },
  };
}
