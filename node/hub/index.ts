export { DEFAULT_HUB_LIMITS, type HubLimits } from "./context.ts";
export { CHAT_PATH, type ChatHub, type CreateChatHubParameters, createChatHub } from "./create-chat-hub.ts";
