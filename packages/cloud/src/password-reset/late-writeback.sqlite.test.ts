import { runLateWritebackContract } from './late-writeback-contract.js';

runLateWritebackContract('sqlite', async () => undefined);
