/**
 * The bot's group commands as setMyCommands registers them. Plain data with no imports, so the
 * CLI (`tgk setup telegram`) registers the same list the Worker handles.
 */
export const COMMANDS = [
  { command: "status", description: "Show this topic's stream: card, last delivery, pending publish, errors" },
  { command: "repin", description: "Republish the card now and pin it at the bottom (admins)" },
  { command: "bind", description: "Bind this topic to a stream: /bind <stream> (admins)" },
  { command: "unbind", description: "Remove this topic's /bind binding (admins)" },
  { command: "help", description: "List the commands" },
];
