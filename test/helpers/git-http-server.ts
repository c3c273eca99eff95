/** The loopback git smart-HTTP server lives with the demo, which needs it at run time; tests use the same one. */
export { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from '../../src/demo/git-http-server';
