/** The chat platforms wsa answers on. */
export type ChatPlatform = 'slack' | 'teams';
