/**
 * The bot's commands and the card's Refresh button. Each reply goes to the topic the command came
 * from (General when it came from General).
 */
import { Composer, type Context } from "grammy";
import { REFRESH_CALLBACK_DATA } from "../agent/card.ts";
import { topicKey } from "../agent/chat-agent.ts";
import { agentName } from "../agent/topic-agent.ts";
import { type Config, isStreamName } from "../config.ts";
import { escapeHtml } from "../agent/html.ts";
import { log } from "../log.ts";
import { senderPermission } from "./rights.ts";
import { renderStatus } from "./status-reply.ts";
import { type TopicRef, chatAgent, streamOfTopic, topicOf } from "./topics.ts";

const HELP = [
  "<b>tgk</b> keeps one pinned card per topic with the GitHub activity of its stream.",
  "",
  "/status: the stream, its pinned card, the last delivery and the next publish",
  "/repin: republish the card now (chat admins and allowed users)",
  "/bind &lt;stream&gt;: show a stream in this topic (chat admins)",
  "/unbind: remove the binding made with /bind (chat admins)",
  "/help: this list",
].join("\n");

/** Plain text, escaped where it goes into an HTML reply and sent as is in a callback query answer. */
const UNBOUND = "This topic is bound to no stream. A chat admin can bind it with /bind <stream>.";

function agentFor(env: Env, stream: string) {
  return env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));
}

async function reply(ctx: Context, env: Env, topic: TopicRef, html: string): Promise<void> {
  const messageId = ctx.message?.message_id;
  await ctx.api.sendMessage(topic.chat_id, html, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(topic.message_thread_id !== undefined ? { message_thread_id: topic.message_thread_id } : {}),
    ...(messageId !== undefined ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {}),
  });
  // Replies share the chat's send budget with the cards.
  await chatAgent(env, topic.chat_id).countSend();
}

/** The forced-repin path shared by /repin and the Refresh button; returns plain text to show. */
async function forceRepin(ctx: Context, env: Env, config: Config, topic: TopicRef): Promise<string> {
  const bound = await streamOfTopic(env, config, topic);
  if (bound === null) return UNBOUND;
  const permission = await senderPermission(ctx, config, true);
  if (permission === "denied") return "Only chat admins and allowed users can repin the card.";

  const result = await agentFor(env, bound.stream).requestRepin(bound.stream);
  log({ msg: "repin requested", stream: bound.stream, chat_id: topic.chat_id, message_thread_id: topic.message_thread_id, outcome: result.accepted ? "accepted" : "too soon", user_id: ctx.from?.id });
  return result.accepted
    ? `Repinning the ${bound.stream} card now.`
    : `The card was just repinned; try again in ${Math.ceil(result.retry_in_ms / 1000)} s.`;
}

export function commands(env: Env, config: Config): Composer<Context> {
  const composer = new Composer<Context>();
  // Commands in groups only: the bot serves forum topics, not private chats.
  const group = composer.chatType(["group", "supergroup"]);

  group.command("help", async (ctx) => {
    await reply(ctx, env, topicOf(ctx.message), HELP);
  });

  group.command("status", async (ctx) => {
    const topic = topicOf(ctx.message);
    const bound = await streamOfTopic(env, config, topic);
    if (bound === null) return reply(ctx, env, topic, escapeHtml(UNBOUND));
    const [status, membership] = await Promise.all([agentFor(env, bound.stream).status(bound.stream), chatAgent(env, topic.chat_id).membership()]);
    await reply(ctx, env, topic, renderStatus(topic, bound, status, membership, Date.now()));
  });

  group.command("repin", async (ctx) => {
    const topic = topicOf(ctx.message);
    await reply(ctx, env, topic, escapeHtml(await forceRepin(ctx, env, config, topic)));
  });

  group.command("bind", async (ctx) => {
    const topic = topicOf(ctx.message);
    if ((await senderPermission(ctx, config, false)) !== "admin") {
      return reply(ctx, env, topic, "Only chat admins can bind a topic to a stream.");
    }
    const stream = ctx.match.trim().split(/\s+/)[0] ?? "";
    if (stream === "" || !isStreamName(stream)) {
      return reply(ctx, env, topic, "Usage: <code>/bind &lt;stream&gt;</code>, where a stream name uses a-z, 0-9, <code>.</code>, <code>_</code> and <code>-</code>.");
    }
    const configured = Object.entries(config.streams).find(([, b]) => b.chat_id === topic.chat_id && b.message_thread_id === topic.message_thread_id);
    if (configured !== undefined) {
      return reply(ctx, env, topic, `This topic shows ${escapeHtml(configured[0])} from config (STREAMS); change it there.`);
    }
    if (config.streams[stream] !== undefined) {
      return reply(ctx, env, topic, `${escapeHtml(stream)} is bound in config (STREAMS) to another topic; pick another name.`);
    }

    const previous = await chatAgent(env, topic.chat_id).bindTopic(topicKey(topic.message_thread_id), stream);
    if (previous !== null && previous !== stream) await agentFor(env, previous).unbind(previous);
    await agentFor(env, stream).bind(stream, topic);
    log({ msg: "topic bound", stream, chat_id: topic.chat_id, message_thread_id: topic.message_thread_id, user_id: ctx.from?.id });
    await reply(ctx, env, topic, `This topic now shows ${escapeHtml(stream)}. Send GitHub deliveries to <code>/github/${escapeHtml(stream)}</code>.`);
  });

  group.command("unbind", async (ctx) => {
    const topic = topicOf(ctx.message);
    if ((await senderPermission(ctx, config, false)) !== "admin") {
      return reply(ctx, env, topic, "Only chat admins can unbind a topic.");
    }
    const previous = await chatAgent(env, topic.chat_id).unbindTopic(topicKey(topic.message_thread_id));
    if (previous === null) return reply(ctx, env, topic, "This topic has no /bind binding to remove.");
    await agentFor(env, previous).unbind(previous);
    log({ msg: "topic unbound", stream: previous, chat_id: topic.chat_id, message_thread_id: topic.message_thread_id, user_id: ctx.from?.id });
    await reply(ctx, env, topic, `This topic no longer shows ${escapeHtml(previous)}.`);
  });

  composer.callbackQuery(REFRESH_CALLBACK_DATA, async (ctx) => {
    const message = ctx.callbackQuery.message;
    if (message === undefined || !("chat" in message)) {
      await ctx.answerCallbackQuery({ text: "This card is too old to refresh." });
      return;
    }
    await ctx.answerCallbackQuery({ text: await forceRepin(ctx, env, config, topicOf(message)) });
  });

  // Every other button press gets an empty answer, so the client stops its spinner.
  composer.on("callback_query:data", (ctx) => ctx.answerCallbackQuery());
  return composer;
}
