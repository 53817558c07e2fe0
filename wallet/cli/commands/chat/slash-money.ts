// The slash commands that move money or ask for it: `/pay`, `/send`, `/request`, `/invoice`. Each is the
// one-shot command's flow (money.ts) in the open chat, asking before it signs.
import { conversationOf } from "../../../../protocol/chat/envelope.ts";
import { type Card, cardOf } from "../../../chat/cards.ts";
import { CliError } from "../../errors.ts";
import { invoicePeer, payCardFlow, payPeer, requestPeer } from "./money.ts";
import { peerOf, personOf, type SlashCommand, type SlashContext } from "./slash.ts";

/** `/pay [tip]`: the last request or invoice card of the open chat. */
async function payLastCard(context: SlashContext, tip: string | undefined, gasless: boolean, iKnow: boolean) {
  const { cli, session, ui, conversations, confirm } = context;
  const conversation = conversations.current();
  if (conversation.lastCard === undefined)
    throw new CliError("USAGE", `no request or invoice card in ${conversation.label} to pay`);
  const card = cardOf(conversation.lastCard, session.me) as Card;
  const what = card.kind === "invoice" ? `invoice "${card.metadata.title}"` : "request";
  ui.say([`paying the last card of ${conversation.label}: ${what} ${card.id.slice(0, 10)}`]);
  const paid = await payCardFlow(cli, session, { card, tip, gasless, iKnow, confirm });
  ui.say(paid.text);
}

/** `/pay @bob 5 [memo]` and `/send @bob 5 [memo]`: a person, in the chat with them (opened if need be). */
async function payPerson(context: SlashContext, command: string, args: string[], gasless: boolean, iKnow: boolean) {
  const { cli, session, ui, conversations, confirm } = context;
  const [first, amount] = args;
  const peer = await peerOf(context, first, `/${command}`);
  if (amount === undefined)
    throw new CliError("USAGE", `/${command} ${first}: how much? e.g. /${command} ${first} 5 lunch`);
  const memo = args.slice(2).join(" ") || undefined;
  if (conversations.openId !== conversationOf(session.me, peer.target)) await conversations.open(peer);
  const paid = await payPeer(cli, session, { peer, amount, memo, gasless, iKnow, confirm });
  ui.say(paid.text);
}

export const pay: SlashCommand = {
  name: "pay",
  usage: [
    ["/pay @bob 5 [memo]", "pay 5 GRAM directly, then say so in the chat"],
    ["/pay [tip]", "pay the last request or invoice card of the open chat"],
  ],
  run: async (context, { args, options }) => {
    const iKnow = options["i-know"] === true;
    const gasless = options.gasless === true;
    const first = args[0];
    if (first !== undefined && /^(@|0x)/.test(first)) return payPerson(context, "pay", args, gasless, iKnow);
    if (args.length > 1)
      throw new CliError("USAGE", "/pay [tip] pays the last card; /pay @name amount [memo] pays a person");
    return payLastCard(context, first, gasless, iKnow);
  },
};

export const send: SlashCommand = {
  name: "send",
  usage: [["/send @bob 5 [memo] [--direct]", "pay gaslessly through the node's relayer (default)"]],
  run: (context, { args, options }) =>
    payPerson(context, "send", args, options.direct !== true, options["i-know"] === true),
};

export const request: SlashCommand = {
  name: "request",
  usage: [["/request 5 [memo]", "ask the open chat's person for 5 GRAM"]],
  run: async ({ session, ui, conversations }, { args, options }) => {
    const conversation = conversations.current();
    const [amount, ...memo] = args;
    if (amount === undefined) throw new CliError("USAGE", "/request how much? e.g. /request 5 pizza");
    const done = await requestPeer(session, {
      peer: personOf(conversation),
      amount,
      memo: memo.length === 0 ? undefined : memo.join(" "),
      expires: options.expires === undefined ? undefined : String(options.expires),
    });
    ui.say(done.text);
  },
};

export const invoice: SlashCommand = {
  name: "invoice",
  usage: [['/invoice 12.50 "Margherita" [--tip-max 3] [--cashback 2%]', "send an invoice card (merchant)"]],
  run: async ({ session, ui, conversations, confirm }, { args, options }) => {
    const conversation = conversations.current();
    const [amount, title] = args;
    if (amount === undefined || title === undefined)
      throw new CliError("USAGE", '/invoice amount "title" [--tip-max n] [--cashback 2%]');
    const done = await invoicePeer(session, {
      peer: personOf(conversation),
      amount,
      title,
      options: {
        ...(options["tip-max"] === undefined ? {} : { tipMax: String(options["tip-max"]) }),
        ...(options.cashback === undefined ? {} : { cashback: String(options.cashback) }),
      },
      confirm,
    });
    ui.say(done.text);
  },
};
