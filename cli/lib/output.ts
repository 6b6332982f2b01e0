// Terminal output for tgk: human lines on stderr/stdout, one JSON document for --json,
// a spinner only when stderr is a TTY, and redaction of every registered secret.

const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const SPINNER_INTERVAL_MS = 80;

const secrets = new Set<string>();

/** Registers a value that must never reach the terminal; every write replaces it with a mask. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Masks a secret for display: a Telegram token keeps its public bot id, anything else only its length. */
export function maskSecret(value: string): string {
  const botToken = /^(\d+):.+$/.exec(value);
  if (botToken) return `${botToken[1]}:***`;
  return `*** (${value.length} characters)`;
}

/** Replaces every registered secret inside text with its mask. */
export function redact(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(maskSecret(secret));
  return result;
}

export interface Progress {
  /** Replaces the label while the step runs. */
  update(label: string): void;
  succeed(message?: string): void;
  fail(message?: string): void;
}

export class Output {
  readonly json: boolean;
  readonly stderrIsTTY: boolean;

  constructor(options: { json: boolean; stderrIsTTY?: boolean }) {
    this.json = options.json;
    this.stderrIsTTY = options.stderrIsTTY ?? Boolean(process.stderr.isTTY);
  }

  /** Prints a result line for people; suppressed under --json so stdout stays one JSON document. */
  line(text: string): void {
    if (this.json) return;
    process.stdout.write(redact(text) + "\n");
  }

  /** Prints a note or warning on stderr, also under --json. */
  note(text: string): void {
    process.stderr.write(redact(text) + "\n");
  }

  /** Prints the --json result document. */
  result(value: unknown): void {
    if (!this.json) return;
    process.stdout.write(redact(JSON.stringify(value, null, 2)) + "\n");
  }

  /**
   * Starts a long step: an animated spinner when stderr is a TTY, otherwise one plain line when the
   * step starts and one when it ends, so CI logs stay readable.
   */
  progress(label: string): Progress {
    if (!this.stderrIsTTY) {
      process.stderr.write(redact(`${label} ...`) + "\n");
      return {
        update: () => {},
        succeed: (message) => process.stderr.write(redact(message ?? `${label}: done`) + "\n"),
        fail: (message) => process.stderr.write(redact(message ?? `${label}: failed`) + "\n"),
      };
    }

    let current = label;
    let frame = 0;
    const draw = (): void => {
      const symbol = SPINNER_FRAMES[frame % SPINNER_FRAMES.length] ?? "-";
      process.stderr.write(`\r\x1b[2K${symbol} ${redact(current)}`);
      frame += 1;
    };
    draw();
    const timer = setInterval(draw, SPINNER_INTERVAL_MS);
    const finish = (symbol: string, message: string): void => {
      clearInterval(timer);
      process.stderr.write(`\r\x1b[2K${symbol} ${redact(message)}\n`);
    };
    return {
      update: (next) => {
        current = next;
      },
      succeed: (message) => finish("✔", message ?? current),
      fail: (message) => finish("✖", message ?? current),
    };
  }
}
