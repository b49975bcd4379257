import { loadEnvFile } from '../core/env-file';

// Imported first by npm start: `.env` must be in process.env before the
// OpenTelemetry bootstrap reads its OTEL_* variables (the next import).
loadEnvFile();
