export { CHAT_PATH, type ChatHub, type CreateChatHubParameters, createChatHub } from "./create-chat-hub.ts";
export { DEFAULT_HUB_LIMITS, type HubLimits } from "./limits.ts";
