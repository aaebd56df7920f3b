// Sign-in calls over tRPC (auth.login, auth.me, auth.logout), answers checked with the shared schemas.
import { createTRPCUntypedClient, httpLink, TRPCClientError } from '@trpc/client';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import { me as meSchema, type LoginInput, type Me } from '@fieldvault/shared/schemas';

/** Why a sign-in call failed, in words for the user; `signedOut` when the server refused the session. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    message: string,
    readonly kind: 'offline' | 'signed-out' | 'refused',
  ) {
    super(message);
  }
}

/** What {@link createAuthApi} returns; the session hook depends on this shape only. */
export interface AuthApi {
  login(input: LoginInput): Promise<Me>;
  me(): Promise<Me>;
  logout(): Promise<void>;
}

/** Maps a tRPC client error to an {@link AuthError} with a readable message. */
export function toAuthError(error: unknown): AuthError {
  if (!(error instanceof TRPCClientError))
    return new AuthError('No connection to the server. Try again when online.', 'offline');
  const data = error.data as { httpStatus?: number; errorCode?: string } | null | undefined;
  const status = data?.httpStatus;
  if (status === undefined)
    return new AuthError('No connection to the server. Try again when online.', 'offline');
  if (status === 401) return new AuthError('Email or password is not right.', 'signed-out');
  if (status === 429)
    return new AuthError('Too many attempts. Wait a minute and try again.', 'refused');
  return new AuthError(error.message || 'Sign-in failed.', 'refused');
}

/** Creates the sign-in API on the same-origin tRPC endpoint. */
export function createAuthApi(options: { url?: string } = {}): AuthApi {
  const client = createTRPCUntypedClient({
    links: [httpLink({ url: options.url ?? TRPC_PATH, headers: { [CSRF_HEADER]: '1' } })],
  });
  const call = async (run: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await run();
    } catch (error) {
      throw toAuthError(error);
    }
  };
  return {
    login: async (input) => meSchema.parse(await call(() => client.mutation('auth.login', input))),
    me: async () => meSchema.parse(await call(() => client.query('auth.me', undefined))),
    logout: async () => {
      await call(() => client.mutation('auth.logout', undefined));
    },
  };
}
