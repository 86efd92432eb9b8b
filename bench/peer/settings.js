// Node-RED settings for the peer benchmark (bench/peer.sh). Only what the flow needs: the HTTP port, the flow
// file (read, never written: the editor and admin API are off), a user directory under bench/target, little logging.
const path = require('path');
module.exports = {
    uiHost: '127.0.0.1',
    uiPort: parseInt(process.env.NODE_RED_PORT || '18380', 10),
    userDir: process.env.NODE_RED_USER_DIR || path.join(__dirname, '..', 'target', 'node-red', 'user'),
    flowFile: path.join(__dirname, 'flows.json'),
    flowFilePretty: true,
    credentialSecret: false,
    httpAdminRoot: false,      // no editor, no admin API: only the flow's HTTP endpoints
    httpNodeRoot: '/',
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    functionExternalModules: false,
    exportGlobalContextKeys: false,
};
