import { runService } from '../../core/server/main';
import { createServer } from './index';

runService('messaging', createServer);
