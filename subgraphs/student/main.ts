import { runService } from '../../core/server/main';
import { createServer } from './index';

runService('student', createServer);
