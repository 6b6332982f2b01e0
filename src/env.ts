/** Reads the validated Config from the Worker's Env once per isolate. */
import { type Config, parseConfig } from "./config.ts";
import { setLogLevel } from "./log.ts";

const cache = new WeakMap<object, Config>();

/** Throws ConfigError naming the bad field; callers return 500 with that message. */
export function getConfig(env: Env): Config {
  let config = cache.get(env);
  if (config === undefined) {
    config = parseConfig(env as unknown as Record<string, unknown>);
    cache.set(env, config);
    setLogLevel(config.logLevel);
  }
  return config;
}
