/** The chat platforms wsa answers on. */
export type ChatPlatform = 'slack' | 'teams';

/** Why a platform would not take a post into a conversation (as opposed to something breaking). */
export type TargetRefusal = 'not_in_channel' | 'channel_not_found' | 'archived' | 'restricted';
