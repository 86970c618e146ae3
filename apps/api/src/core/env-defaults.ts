// Imported first by main.ts: libraries (graphql-js, express) read NODE_ENV when they load.
// Roster runs in production mode unless told otherwise (NODE_ENV=development).
process.env['NODE_ENV'] ??= 'production';
export {};
