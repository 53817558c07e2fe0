// The slash commands that move between chats: `/open` one, list `/chats`.
import type { SlashCommand } from "./slash.ts";
import { peerOf } from "./slash.ts";

export const open: SlashCommand = {
  name: "open",
  usage: [["/open @name|0xaddress|group-id", "open a chat (shows its last messages)"]],
  run: async (context, { args }) => {
    await context.conversations.open(await peerOf(context, args[0], "/open"));
  },
};

export const chats: SlashCommand = {
  name: "chats",
  usage: [["/chats", "the chats of this session"]],
  run: async ({ ui, conversations }) => {
    const { all, openId } = conversations;
    ui.say(
      all.size === 0
        ? ["no chats in this session yet: /open @name"]
        : [...all.entries()].map(
            ([id, chat]) => `${id === openId ? "*" : " "} ${chat.label}${chat.unread ? ` (${chat.unread} new)` : ""}`,
          ),
    );
  },
};
