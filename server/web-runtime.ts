import type { StaffModule } from './auth/staff.module.ts';
import type { GatewayModule } from './gateway/gateway.module.ts';
import type { Health } from './health.ts';
import type { Logger } from './logger.ts';
import type { IdentityModule } from './identity/identity.module.ts';
import type { ModerationModule } from './moderation/moderation.module.ts';
import type { RoomsModule } from './rooms/rooms.module.ts';
import type { MessagesModule } from './messages/messages.module.ts';
import type { StreamsModule } from './streams/streams.module.ts';

/**
 * What Next's pages and route handlers may use of the running server: a narrow, typed facade rather
 * than the whole application, so the web layer cannot reach repositories or sockets it has no business with.
 */
export function createWebRuntime(d: {
  log: Logger;
  identity: IdentityModule;
  rooms: RoomsModule;
  staff: StaffModule;
  moderation: ModerationModule;
  gateway: GatewayModule;
  messages: MessagesModule;
  streams: StreamsModule;
  health: () => Promise<Health>;
}) {
  return {
    /** For errors a route handler did not expect. */
    log: d.log,
    health: d.health,
    /** Session token → user, with staff roles checked against the database. */
    authenticate: d.identity.authenticate,
    sessions: {
      sign: d.identity.signer.sign,
      cookieOptions: d.identity.signer.cookieOptions,
      createGuest: d.identity.users.createGuest,
      rename: d.identity.users.rename,
      /** New guest identities per client address. */
      limit: d.identity.newSessionLimit,
    },
    rooms: {
      list: d.rooms.lobby.list,
      create: d.rooms.lobby.create,
      find: d.rooms.repository.findById,
      /** The newest comments, for the server-rendered first page (from memory on one instance). */
      latestPage: d.messages.catchUp.latestPage,
      /** Rooms created per user. */
      limit: d.rooms.newRoomLimit,
    },
    staff: { login: d.staff.login },
    console: {
      listRooms: d.moderation.console.listRooms,
      roomDetail: d.moderation.console.roomDetail,
      appoint: d.moderation.service.appoint,
    },
    gateway: d.gateway.service,
    /** A room's stream source and status (room owners/admins, or a push-API key). */
    streams: { set: d.streams.service.set },
    apiAuth: d.gateway.apiAuth,
  };
}

export type WebRuntime = ReturnType<typeof createWebRuntime>;
