// First: starts OpenTelemetry before http, express, mongodb and graphql are loaded.
import '../../core/observability/instrument';
import { loadServiceEnv } from '../../core/config';
import { runService } from '../../core/server/main';
import { channelEnv, channelsFromEnv } from './messaging.env';
import { createServer } from './index';

runService('messaging', (config) => createServer(config, undefined, { channels: channelsFromEnv(loadServiceEnv(channelEnv)) }));
