/** A server address without trailing slashes, ready for a path. */
export const base = (server: string): string => server.replace(/\/+$/, '');

/** HTTP Basic credentials, UTF-8 (a password may hold Kazakh letters). */
export function basicAuth(login: string, password: string): string {
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${login}:${password}`)))}`;
}
