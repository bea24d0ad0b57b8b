/** Where the hub server's bundle is, relative to the app's root (the packaged app's `app.getAppPath()`). */
export const HUB_SERVER_BUNDLE = 'out/hub/server.cjs';
