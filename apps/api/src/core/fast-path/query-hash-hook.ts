// Imported by main.ts before anything loads Apollo: see installQueryHashes.
import { installQueryHashes } from './query-hash';

installQueryHashes();
