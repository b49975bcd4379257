// First: starts OpenTelemetry before http, express, mongodb and graphql are loaded.
import '../../core/observability/instrument';
import { runService } from '../../core/server/main';
import { channelsFromEnv } from './config';
import { createServer } from './index';

runService('messaging', (config) => createServer(config, undefined, { channels: channelsFromEnv(process.env) }));
