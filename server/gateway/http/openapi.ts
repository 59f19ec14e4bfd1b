import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors.ts';
import * as s from '../gateway.schemas.ts';
import { streamUpdateBody } from '../../../shared/stream.ts';

/**
 * The push API's OpenAPI 3.1 document, generated from the very zod schemas the route handlers use.
 * `npm run openapi` writes it to docs/openapi.json; GET /api/v1/openapi.json serves it; a test checks
 * that every route handler under app/api/v1 is described here and the other way round.
 */
// Adds `.openapi()` to zod schemas, which the registry uses to turn registered schemas into $refs.
extendZodWithOpenApi(z);
const registry = new OpenAPIRegistry();
const errorBody = registry.register('Error', z.object({
  ok: z.literal(false),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterMs: z.number().int().optional(),
}));

const okBody = (data: z.ZodType) => z.object({ ok: z.literal(true), data });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const COMMON_ERRORS = {
  400: {
    description: 'The body or a path parameter is malformed (`invalid_payload`, with `issues`), or a stream source is refused (`invalid_stream_source`).',
    ...json(errorBody),
  },
  401: { description: 'No API key, or not a valid one (`unauthenticated`).', ...json(errorBody) },
  429: {
    description: 'Over the per-key rate limit (`rate_limited`); see the `retry-after` header (seconds).',
    ...json(errorBody),
  },
};
const WITH_BODY_ERRORS = {
  413: { description: 'The body is over the size cap (`payload_too_large`).', ...json(errorBody) },
};
const CONNECTION_ERRORS = {
  404: { description: 'No such connection online (`not_found`).', ...json(errorBody) },
  503: { description: 'An instance that may hold the connection did not answer (`unavailable`).', ...json(errorBody) },
};

type Method = RouteConfig['method'];
interface Op {
  method: Method;
  path: string;
  summary: string;
  params?: z.ZodObject;
  body?: z.ZodType;
  result: z.ZodType;
  extraErrors?: RouteConfig['responses'];
  auth?: false;
}

const OPS: Op[] = [
  { method: 'post', path: '/send/client', summary: 'sendToClient: one connection', body: s.sendToClientBody, result: s.sentResult },
  { method: 'post', path: '/send/uid', summary: 'sendToUid: every connection of the users', body: s.sendToUidBody, result: s.sentResult },
  {
    method: 'post',
    path: '/send/group',
    summary: 'sendToGroup: every connection in the groups, minus `exclude`',
    body: s.sendToGroupBody,
    result: s.sentResult,
  },
  {
    method: 'post',
    path: '/send/all',
    summary: 'sendToAll: everyone, or only `clientIds`, minus `exclude`',
    body: s.sendToAllBody,
    result: s.sentResult,
  },
  {
    method: 'post',
    path: '/rooms/{roomId}/announcements',
    summary: 'An announcement banner on the page of a stored room',
    params: s.roomParams,
    body: s.announcementBody,
    result: s.sentResult,
    extraErrors: { 404: { description: 'No such room (`unknown_room`).', ...json(errorBody) } },
  },
  {
    method: 'put',
    path: '/rooms/{roomId}/stream',
    summary:
      'Set a room’s stream: `source` (an http(s) `.m3u8` HLS playlist, or a YouTube/Twitch/Bilibili page or player URL, ' +
      'rewritten to the player; null removes it) and/or `status` (offline, live, ended). Open room pages switch at once; ' +
      'the lobby lists live rooms first.',
    params: s.roomParams,
    body: streamUpdateBody,
    result: s.streamResult,
    extraErrors: {
      404: { description: 'No such room (`unknown_room`).', ...json(errorBody) },
    },
  },
  {
    method: 'get',
    path: '/groups/{group}',
    summary: 'getClientCountByGroup, getClientIdListByGroup, getUidListByGroup, getUidCountByGroup',
    params: s.groupParams,
    result: s.groupInfo,
  },
  { method: 'delete', path: '/groups/{group}', summary: 'ungroup: every connection leaves the group', params: s.groupParams, result: s.appliedResult },
  {
    method: 'get',
    path: '/groups/{group}/sessions',
    summary: 'getClientSessionsByGroup',
    params: s.groupParams,
    result: s.groupSessions,
  },
  {
    method: 'put',
    path: '/groups/{group}/clients/{clientId}',
    summary: 'joinGroup',
    params: s.groupMembershipBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'delete',
    path: '/groups/{group}/clients/{clientId}',
    summary: 'leaveGroup',
    params: s.groupMembershipBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  { method: 'get', path: '/uids/{uid}', summary: 'isUidOnline, getClientIdByUid', params: s.uidParams, result: s.uidInfo },
  {
    method: 'put',
    path: '/uids/{uid}/clients/{clientId}',
    summary: 'bindUid (a connection has one uid: binding again moves it)',
    params: s.uidBindingBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'delete',
    path: '/uids/{uid}/clients/{clientId}',
    summary: 'unbindUid',
    params: s.uidBindingBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'get',
    path: '/clients/{clientId}',
    summary: 'isOnline, getUidByClientId and the connection’s groups',
    params: s.clientParams,
    result: s.clientInfo,
  },
  {
    method: 'get',
    path: '/clients/{clientId}/session',
    summary: 'getSession',
    params: s.clientParams,
    result: s.sessionResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'put',
    path: '/clients/{clientId}/session',
    summary: 'setSession (replace)',
    params: s.clientParams,
    body: s.sessionBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'patch',
    path: '/clients/{clientId}/session',
    summary: 'updateSession (merge top-level keys)',
    params: s.clientParams,
    body: s.sessionBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'post',
    path: '/clients/{clientId}/close',
    summary: 'closeClient: `server:close` with the message, then the connection is closed',
    params: s.clientParams,
    body: s.closeClientBody,
    result: s.appliedResult,
    extraErrors: CONNECTION_ERRORS,
  },
  {
    method: 'get',
    path: '/stats',
    summary: 'getAllClientCount/IdList, getAllUidCount/List, getAllGroupIdList, getAllGroupUidCount',
    result: s.overallStats,
  },
  { method: 'get', path: '/openapi.json', summary: 'This document', result: z.object({}).passthrough(), auth: false },
];

export const API_PREFIX = '/api/v1';

let built: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

export function buildOpenApiDocument() {
  return (built ??= generate());
}

function generate() {
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A key from API_KEYS or `npm run admin -- create-api-key <name>`.',
  });
  for (const op of OPS) {
    const isDoc = op.auth === false;
    registry.registerPath({
      method: op.method,
      path: `${API_PREFIX}${op.path}`,
      summary: op.summary,
      ...(isDoc ? {} : { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.body ? { body: { required: true, ...json(op.body) } } : {}),
      },
      responses: {
        200: { description: 'Done.', ...json(isDoc ? op.result : okBody(op.result)) },
        ...(isDoc ? {} : COMMON_ERRORS),
        ...(op.body ? WITH_BODY_ERRORS : {}),
        ...op.extraErrors,
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Live room push API',
      version: '1.0.0',
      description:
        'GatewayWorker’s Gateway calls over HTTP. Pushed messages reach browsers as the `push` event ' +
        '({event, data, sentAt}) and/or a `notice`. See docs/push-api.md.',
    },
  });
}
