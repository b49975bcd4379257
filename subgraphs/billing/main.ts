// First: starts OpenTelemetry before http, express, mongodb and graphql are loaded.
import '../../core/observability/instrument';
import { runService } from '../../core/server/main';
import { createServer } from './index';

runService('billing', createServer);
